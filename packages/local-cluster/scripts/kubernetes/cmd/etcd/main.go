// Command etcd is the etcd server at the version k8s.io/kubernetes pins, built from its Go module
// (Debian's etcd-server is 3.4, older than this Kubernetes release supports).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
