package engine

// ReadRegular reads the regular file at path unless it is larger than
// maxSize (then data is nil and size tells its size). A FIFO, a device or a
// directory is an error, and opening one never blocks: the CLI reads the
// configuration with it.
func ReadRegular(path string, maxSize int64) (data []byte, size int64, err error) {
	return readFile(path, maxSize)
}
