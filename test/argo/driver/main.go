// argo-health-driver runs Argo CD resource health checks (health.lua) against their
// health_test.yaml cases with gopher-lua, the Lua interpreter Argo CD embeds, the way Argo CD's
// application controller runs them (util/lua in github.com/argoproj/argo-cd):
//
//   - the resource is the global `obj`, decoded from the object's JSON (numbers are Lua numbers,
//     objects and arrays are tables, null is nil);
//   - only the package, base and table libraries and a safe os (time, date) are open, as in
//     production where resource.customizations.useOpenLibs.<group>_<kind> is unset: string.*,
//     math.*, io.* are not there. Each case also runs with every library open (Argo CD's own
//     health tests do that), and must give the same answer both ways;
//   - a script gets one second;
//   - the returned table becomes {status, message} through JSON, as Argo CD decodes it: a status
//     outside Healthy, Progressing, Degraded, Suspended, Missing, Unknown is Unknown with the
//     message "Lua returned an invalid health status".
//
// health_test.yaml is Argo CD's schema:
//
//	tests:
//	- healthStatus: {status: Healthy, message: "..."}
//	  inputPath: testdata/healthy.yaml
//
// Usage: argo-health-driver DIR — walks DIR for health.lua files (DIR/<group>/<Kind>/health.lua),
// prints one JSON line per case and mode, then a summary line; exits 0 when every case matches,
// 1 when one does not (or a file is missing, or a testdata file is used by no case), 2 on usage.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
	"sigs.k8s.io/yaml"
)

type healthStatus struct {
	Status  string `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
}

type testFile struct {
	Tests []struct {
		HealthStatus healthStatus `json:"healthStatus"`
		InputPath    string       `json:"inputPath"`
	} `json:"tests"`
}

// One line of output: a case run in one mode, or a problem with a check's files.
type result struct {
	Check    string        `json:"check"`
	Input    string        `json:"input,omitempty"`
	Mode     string        `json:"mode,omitempty"`
	Expected *healthStatus `json:"expected,omitempty"`
	Got      *healthStatus `json:"got,omitempty"`
	Error    string        `json:"error,omitempty"`
	OK       bool          `json:"ok"`
}

var validStatuses = map[string]bool{"Healthy": true, "Progressing": true, "Degraded": true, "Suspended": true, "Missing": true, "Unknown": true}

const invalidHealthStatus = "Lua returned an invalid health status"

func main() {
	if len(os.Args) != 2 || strings.HasPrefix(os.Args[1], "-") {
		fmt.Fprintln(os.Stderr, "usage: argo-health-driver DIR  (DIR holds <group>/<Kind>/health.lua, health_test.yaml and testdata/)")
		os.Exit(2)
	}
	root := os.Args[1]
	var scripts []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && d.Name() == "health.lua" {
			scripts = append(scripts, path)
		}
		return nil
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "argo-health-driver: %v\n", err)
		os.Exit(2)
	}
	sort.Strings(scripts)
	out := json.NewEncoder(os.Stdout)
	out.SetEscapeHTML(false)
	passed, failed := 0, 0
	for _, script := range scripts {
		for _, r := range checkDir(root, filepath.Dir(script)) {
			if r.OK {
				passed++
			} else {
				failed++
			}
			_ = out.Encode(r)
		}
	}
	_ = out.Encode(map[string]any{"summary": true, "checks": len(scripts), "passed": passed, "failed": failed})
	if failed > 0 || len(scripts) == 0 {
		os.Exit(1)
	}
}

// checkDir runs every case of one check (a <group>/<Kind> directory).
func checkDir(root, dir string) []result {
	check, _ := filepath.Rel(root, dir)
	check = filepath.ToSlash(check)
	fail := func(format string, args ...any) []result {
		return []result{{Check: check, Error: fmt.Sprintf(format, args...)}}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fail("%v", err)
	}
	group, kind := filepath.Base(filepath.Dir(abs)), filepath.Base(abs)
	script, err := os.ReadFile(filepath.Join(dir, "health.lua"))
	if err != nil {
		return fail("%v", err)
	}
	testsYAML, err := os.ReadFile(filepath.Join(dir, "health_test.yaml"))
	if err != nil {
		return fail("every health.lua needs its health_test.yaml: %v", err)
	}
	var tests testFile
	if err := yaml.UnmarshalStrict(testsYAML, &tests); err != nil {
		return fail("health_test.yaml: %v", err)
	}
	if len(tests.Tests) == 0 {
		return fail("health_test.yaml has no tests")
	}
	var results []result
	used := map[string]bool{}
	for _, test := range tests.Tests {
		input := filepath.ToSlash(filepath.Clean(test.InputPath))
		used[input] = true
		expected := test.HealthStatus
		obj, err := readObject(filepath.Join(dir, input))
		if err == nil {
			err = sameKind(obj, group, kind)
		}
		if err != nil {
			results = append(results, result{Check: check, Input: input, Expected: &expected, Error: err.Error()})
			continue
		}
		for _, mode := range []string{"argocd", "openlibs"} {
			got, err := executeHealthLua(obj, string(script), mode == "openlibs")
			r := result{Check: check, Input: input, Mode: mode, Expected: &expected, Got: got}
			if err != nil {
				r.Error = err.Error()
			} else {
				r.OK = *got == expected
			}
			results = append(results, r)
		}
	}
	// A testdata file no case reads is a case someone meant to write.
	entries, _ := os.ReadDir(filepath.Join(dir, "testdata"))
	for _, e := range entries {
		name := "testdata/" + e.Name()
		if !e.IsDir() && !used[name] {
			results = append(results, result{Check: check, Input: name, Error: "no case in health_test.yaml reads this file"})
		}
	}
	return results
}

func readObject(path string) (map[string]any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	obj := map[string]any{}
	if err := yaml.Unmarshal(data, &obj); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return obj, nil
}

// sameKind: the object must be of the check's group and kind, as Argo CD picks the script by them.
func sameKind(obj map[string]any, group, kind string) error {
	apiVersion, _ := obj["apiVersion"].(string)
	objKind, _ := obj["kind"].(string)
	objGroup := ""
	if i := strings.Index(apiVersion, "/"); i >= 0 {
		objGroup = apiVersion[:i]
	}
	if objGroup != group || objKind != kind {
		return fmt.Errorf("the object is %s %s, the check is for %s/%s", apiVersion, objKind, group, kind)
	}
	return nil
}

// executeHealthLua runs script with obj as Argo CD does and decodes its answer as Argo CD does.
func executeHealthLua(obj map[string]any, script string, openLibs bool) (*healthStatus, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: !openLibs})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
		{lua.OsLibName, openSafeOs},
	} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), NRet: 0, Protect: true}, lua.LString(lib.name)); err != nil {
			return nil, err
		}
	}
	l.PreloadModule(lua.OsLibName, func(l *lua.LState) int {
		l.Push(l.SetFuncs(l.NewTable(), safeOsFuncs))
		return 1
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("obj", toLua(l, obj))
	fn, err := l.LoadString(script)
	if err != nil {
		return nil, err
	}
	l.Push(fn)
	if err := l.PCall(0, lua.MultRet, nil); err != nil {
		var apiErr *lua.ApiError
		if errors.As(err, &apiErr) && apiErr.Type == lua.ApiErrorRun {
			apiErr.StackTrace = ""
		}
		return nil, err
	}
	returned := l.Get(-1)
	switch returned.Type() {
	case lua.LTNil:
		return &healthStatus{}, nil
	case lua.LTTable:
	default:
		return nil, fmt.Errorf("expect table output from Lua script, not %s", returned.Type().String())
	}
	encoded, err := json.Marshal(fromLua(returned))
	if err != nil {
		return nil, err
	}
	status := &healthStatus{}
	if err := json.Unmarshal(encoded, status); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			// Argo CD answers an empty health for a table of the wrong shape.
			return &healthStatus{}, nil
		}
		return nil, err
	}
	if !validStatuses[status.Status] {
		return &healthStatus{Status: "Unknown", Message: invalidHealthStatus}, nil
	}
	return status, nil
}

// toLua turns decoded JSON into Lua values: what Argo CD hands a script as `obj`.
func toLua(l *lua.LState, value any) lua.LValue {
	switch v := value.(type) {
	case bool:
		return lua.LBool(v)
	case float64:
		return lua.LNumber(v)
	case int64:
		return lua.LNumber(v)
	case string:
		return lua.LString(v)
	case []any:
		t := l.CreateTable(len(v), 0)
		for _, item := range v {
			t.Append(toLua(l, item))
		}
		return t
	case map[string]any:
		t := l.CreateTable(0, len(v))
		for key, item := range v {
			t.RawSetH(lua.LString(key), toLua(l, item))
		}
		return t
	}
	return lua.LNil
}

// fromLua turns a Lua value into JSON-ready Go values: a table with only the keys 1..n is an
// array (an empty table too), any other table an object keyed by its keys' text.
func fromLua(value lua.LValue) any {
	switch v := value.(type) {
	case lua.LBool:
		return bool(v)
	case lua.LNumber:
		return float64(v)
	case lua.LString:
		return string(v)
	case *lua.LTable:
		var arr []any
		var obj map[string]any
		v.ForEach(func(k, item lua.LValue) {
			if n, isNumber := k.(lua.LNumber); isNumber && obj == nil && int(n) == len(arr)+1 {
				arr = append(arr, fromLua(item))
				return
			}
			if obj == nil {
				obj = map[string]any{}
				for i, a := range arr {
					obj[fmt.Sprint(i+1)] = a
				}
			}
			obj[k.String()] = fromLua(item)
		})
		if obj != nil {
			return obj
		}
		return arr
	}
	return nil
}

// The os functions Argo CD leaves a script: time and date, nothing that touches the process.
// (Argo CD's os.time also takes a table and its os.date a format; polyfleet's checks use neither,
// and a health check that reads the clock would not be reproducible anyway.)
var safeOsFuncs = map[string]lua.LGFunction{
	"time": func(l *lua.LState) int {
		l.Push(lua.LNumber(time.Now().Unix()))
		return 1
	},
	"date": func(l *lua.LState) int {
		l.Push(lua.LString(time.Now().UTC().Format(time.RFC3339)))
		return 1
	},
}

func openSafeOs(l *lua.LState) int {
	l.Push(l.RegisterModule(lua.OsLibName, safeOsFuncs))
	return 1
}
