// Command etcd is go.etcd.io/etcd/server/v3's etcd, built from the module proxy for polyfleet's
// envtest (test/envtest/build.sh). Same body as etcd's own server/main.go.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
