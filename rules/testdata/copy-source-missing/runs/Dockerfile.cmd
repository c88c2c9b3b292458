FROM scratch
# Neither run nor installed into a bin directory: reported.
# want: copy-source-missing
COPY settings /etc/
CMD ["/other"]
