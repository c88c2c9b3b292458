# k8slint's own image: a static binary on distroless, running as non-root.
#   docker build -t k8slint . && docker run --rm -v "$PWD:/src" -w /src k8slint .
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY cmd ./cmd
COPY internal ./internal
COPY rules ./rules
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -tags kustomize_disable_go_plugin_support -ldflags "-s -w -X github.com/k8slint/k8slint/internal/cli.Version=${VERSION}" -o /out/k8slint ./cmd/k8slint

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/k8slint /usr/local/bin/k8slint
USER nonroot:nonroot
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/k8slint"]
