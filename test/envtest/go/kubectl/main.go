// Command kubectl is k8s.io/kubernetes/cmd/kubectl, built from the published k8s.io/kubectl module
// for machines that have no kubectl of their own (test/envtest/build.sh builds it only then).
package main

import (
	"k8s.io/component-base/cli"
	"k8s.io/kubectl/pkg/cmd"
	"k8s.io/kubectl/pkg/cmd/util"
)

func main() {
	command := cmd.NewDefaultKubectlCommand()
	if err := cli.RunNoErrOutput(command); err != nil {
		util.CheckErr(err)
	}
}
