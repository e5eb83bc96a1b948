// celgo compiles and evaluates exported admission policies with Google's cel-go, configured as
// the Kubernetes API server configures it for a ValidatingAdmissionPolicy and as Kyverno's
// ValidatingPolicy compiler does (see README.md beside this file for what is reproduced and what
// stands in). It reads one JSON request on standard input and writes one JSON answer.
//
// Request:  {"env": "k8s-1.30"|"k8s-1.31"|"kyverno-1.17",
//
//	"policies": [{"name", "variables": [{"name","expression"}],
//	              "validations": [{"expression","message","messageExpression"}],
//	              "matchConditions": [{"name","expression"}]}],
//	"objects": [{"object": …, "namespaceObject": …|null, "request": …,
//	             "exceptions": ["id", …]}]}
//
// Answer:   {"celGo": version, "env", "policies": [{"name", "errors": [{"expression","message"}],
//
//	"results": [{"matched", "denied": [index…], "messages": […], "errors": […],
//	             "cost": {"total", "dearest", "dearestCost", "overLimit": […]}}]}]}
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"reflect"
	"strings"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/checker"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
	"github.com/google/cel-go/ext"
	"github.com/google/cel-go/interpreter"
)

// Kubernetes' limits (k8s.io/apiserver/pkg/apis/cel/config.go).
const (
	perCallLimit   = 1000000
	runtimeBudget  = 10000000
	stringTraverse = 0.1 // common.StringTraversalCostFactor
)

type expression struct {
	Name              string `json:"name"`
	Expression        string `json:"expression"`
	Message           string `json:"message"`
	MessageExpression string `json:"messageExpression"`
}

type policy struct {
	Name            string       `json:"name"`
	Variables       []expression `json:"variables"`
	Validations     []expression `json:"validations"`
	MatchConditions []expression `json:"matchConditions"`
}

type object struct {
	Object          any      `json:"object"`
	NamespaceObject any      `json:"namespaceObject"`
	Request         any      `json:"request"`
	Exceptions      []string `json:"exceptions"`
}

type request struct {
	Env      string   `json:"env"`
	Policies []policy `json:"policies"`
	Objects  []object `json:"objects"`
	// Report names variables whose values (lists of strings) each result carries.
	Report []string `json:"report"`
}

type compileError struct {
	Expression string `json:"expression"`
	Message    string `json:"message"`
}

type cost struct {
	Total         uint64            `json:"total"`
	Dearest       string            `json:"dearest"`
	DearestCost   uint64            `json:"dearestCost"`
	OverLimit     []string          `json:"overLimit"`
	PerExpression map[string]uint64 `json:"perExpression"`
}

type result struct {
	Matched  bool                `json:"matched"`
	Denied   []int               `json:"denied"`
	Messages []string            `json:"messages"`
	Errors   []string            `json:"errors"`
	Cost     cost                `json:"cost"`
	Values   map[string][]string `json:"values"`
}

type policyAnswer struct {
	Name    string         `json:"name"`
	Errors  []compileError `json:"errors"`
	Results []result       `json:"results"`
}

type answer struct {
	CelGo    string         `json:"celGo"`
	Env      string         `json:"env"`
	Policies []policyAnswer `json:"policies"`
}

// baseOptions are the environment options of k8s.io/apiserver/pkg/cel/environment/base.go in
// force at the given Kubernetes minor version (1.30 and 1.31 have the same cel-go options; 1.31
// adds the Kubernetes format library, which these exports do not call).
func baseOptions() []cel.EnvOption {
	return []cel.EnvOption{
		cel.HomogeneousAggregateLiterals(),
		cel.EagerlyValidateDeclarations(true),
		cel.DefaultUTCTimeZone(true),
		cel.CostEstimatorOptions(checker.PresenceTestHasCost(false)),
		cel.CrossTypeNumericComparisons(true),
		cel.OptionalTypes(),
		cel.ASTValidators(
			cel.ValidateDurationLiterals(),
			cel.ValidateTimestampLiterals(),
			cel.ValidateRegexLiterals(),
			cel.ValidateHomogeneousAggregateLiterals(),
		),
		ext.Strings(ext.StringsVersion(2)),
		ext.Sets(),
	}
}

// declarations are the variables plugin/cel/compile.go declares for a ValidatingAdmissionPolicy
// (object and oldObject dyn; request and namespaceObject are typed there, here maps of dyn), and
// Kyverno's `exceptions` for its ValidatingPolicy.
func declarations(env string) []cel.EnvOption {
	decls := []cel.EnvOption{
		cel.Variable("object", cel.DynType),
		cel.Variable("oldObject", cel.DynType),
		cel.Variable("params", cel.DynType),
		cel.Variable("request", cel.MapType(cel.StringType, cel.DynType)),
		cel.Variable("namespaceObject", cel.DynType),
	}
	if strings.HasPrefix(env, "kyverno") {
		decls = append(decls, cel.Variable("exceptions", cel.MapType(cel.StringType, cel.ListType(cel.StringType))))
	}
	return decls
}

// costEstimator charges the strings-extension calls as k8s.io/apiserver/pkg/cel/library/cost.go
// does under strict cost; cel-go itself charges the standard functions (matches, contains, …).
type costEstimator struct{}

func actualSize(v ref.Val) uint64 {
	if sz, ok := v.(traits.Sizer); ok {
		if n, ok := sz.Size().Value().(int64); ok {
			return uint64(n)
		}
	}
	return 1
}

func (costEstimator) CallCost(function, overloadID string, args []ref.Val, result ref.Val) *uint64 {
	traverse := func(v ref.Val, factor float64) *uint64 {
		c := uint64(math.Ceil(float64(actualSize(v)) * factor * stringTraverse))
		return &c
	}
	switch function {
	case "url", "lowerAscii", "upperAscii", "substring", "trim", "indexOf", "lastIndexOf":
		if len(args) >= 1 {
			return traverse(args[0], 1)
		}
	case "replace", "split":
		if len(args) >= 1 {
			return traverse(args[0], 2)
		}
	case "join":
		if len(args) >= 1 {
			return traverse(result, 2)
		}
	}
	return nil
}

// celGoBuild is set by setup.sh (-ldflags -X) to the Debian version of cel-go built in.
var celGoBuild = "unknown"

type compiled struct {
	name    string
	program cel.Program
}

func compile(env *cel.Env, name, text string, errs *[]compileError) (cel.Program, *cel.Type) {
	ast, issues := env.Compile(text)
	if issues != nil && issues.Err() != nil {
		*errs = append(*errs, compileError{Expression: name, Message: issues.Err().Error()})
		return nil, cel.DynType
	}
	prg, err := env.Program(ast,
		cel.EvalOptions(cel.OptOptimize, cel.OptTrackCost),
		cel.CostLimit(perCallLimit),
		cel.CostTrackerOptions(interpreter.PresenceTestHasCost(false)),
		cel.CostTracking(costEstimator{}),
		cel.InterruptCheckFrequency(100),
	)
	if err != nil {
		*errs = append(*errs, compileError{Expression: name, Message: err.Error()})
		return nil, cel.DynType
	}
	return prg, ast.OutputType()
}

func run(req request) (answer, error) {
	ans := answer{CelGo: celGoBuild, Env: req.Env}
	switch req.Env {
	case "k8s-1.30", "k8s-1.31", "kyverno-1.17":
	default:
		return ans, fmt.Errorf("unknown env %q (k8s-1.30, k8s-1.31, kyverno-1.17)", req.Env)
	}
	for _, p := range req.Policies {
		pa := policyAnswer{Name: p.Name, Errors: []compileError{}, Results: []result{}}
		opts := append(baseOptions(), declarations(req.Env)...)
		env, err := cel.NewEnv(opts...)
		if err != nil {
			return ans, err
		}
		// Variables compose as plugin/cel/composition.go does: each is compiled in order and
		// declared, with the type it compiled to, for those after it.
		vars := []compiled{}
		for _, v := range p.Variables {
			prg, typ := compile(env, "variable "+v.Name, v.Expression, &pa.Errors)
			vars = append(vars, compiled{v.Name, prg})
			if env, err = env.Extend(cel.Variable("variables."+v.Name, typ)); err != nil {
				return ans, err
			}
		}
		conds := []compiled{}
		for _, c := range p.MatchConditions {
			prg, _ := compile(env, "matchCondition "+c.Name, c.Expression, &pa.Errors)
			conds = append(conds, compiled{c.Name, prg})
		}
		checks, messages := []compiled{}, []compiled{}
		for i, v := range p.Validations {
			prg, typ := compile(env, fmt.Sprintf("validation %d", i), v.Expression, &pa.Errors)
			if prg != nil && !typ.IsExactType(cel.BoolType) && !typ.IsExactType(cel.DynType) {
				pa.Errors = append(pa.Errors, compileError{fmt.Sprintf("validation %d", i), "must evaluate to bool, not " + typ.String()})
			}
			checks = append(checks, compiled{fmt.Sprintf("validation %d", i), prg})
			var mprg cel.Program
			if v.MessageExpression != "" {
				mprg, typ = compile(env, fmt.Sprintf("messageExpression %d", i), v.MessageExpression, &pa.Errors)
				if mprg != nil && !typ.IsExactType(cel.StringType) && !typ.IsExactType(cel.DynType) {
					pa.Errors = append(pa.Errors, compileError{fmt.Sprintf("messageExpression %d", i), "must evaluate to string, not " + typ.String()})
				}
			}
			messages = append(messages, compiled{fmt.Sprintf("messageExpression %d", i), mprg})
		}
		if len(pa.Errors) == 0 {
			for _, o := range req.Objects {
				pa.Results = append(pa.Results, evaluate(req, p, o, vars, conds, checks, messages))
			}
		}
		ans.Policies = append(ans.Policies, pa)
	}
	return ans, nil
}

// evaluate runs one object as the API server does: match conditions, then the validations with
// the variables, then every message expression with the variables evaluated again.
func evaluate(req request, p policy, o object, vars, conds, checks, messages []compiled) result {
	env := req.Env
	r := result{Denied: []int{}, Messages: []string{}, Errors: []string{}, Values: map[string][]string{}}
	r.Cost.OverLimit = []string{}
	r.Cost.PerExpression = map[string]uint64{}
	base := map[string]any{"object": o.Object, "oldObject": nil, "params": nil,
		"request": o.Request, "namespaceObject": o.NamespaceObject}
	if base["request"] == nil {
		base["request"] = map[string]any{}
	}
	if strings.HasPrefix(env, "kyverno") {
		allowed := o.Exceptions
		if allowed == nil {
			allowed = []string{}
		}
		base["exceptions"] = map[string]any{"allowedValues": allowed}
	}
	charge := func(name string, details *cel.EvalDetails) {
		if details == nil || details.ActualCost() == nil {
			return
		}
		c := *details.ActualCost()
		r.Cost.Total += c
		if c > r.Cost.PerExpression[name] {
			r.Cost.PerExpression[name] = c
		}
		if c > r.Cost.DearestCost {
			r.Cost.Dearest, r.Cost.DearestCost = name, c
		}
		if c > perCallLimit {
			r.Cost.OverLimit = append(r.Cost.OverLimit, name)
		}
	}
	eval := func(c compiled, act map[string]any) (ref.Val, error) {
		val, details, err := c.program.Eval(act)
		charge(c.name, details)
		return val, err
	}
	withVariables := func() map[string]any {
		act := map[string]any{}
		for k, v := range base {
			act[k] = v
		}
		for _, v := range vars {
			val, err := eval(compiled{"variable " + v.name, v.program}, act)
			if err != nil {
				r.Errors = append(r.Errors, "variable "+v.name+": "+err.Error())
				continue
			}
			act["variables."+v.name] = val
		}
		return act
	}
	act := withVariables()
	for _, c := range conds {
		val, err := eval(c, act)
		if err != nil {
			r.Errors = append(r.Errors, c.name+": "+err.Error())
			return r
		}
		if val.Value() != true {
			return r
		}
	}
	r.Matched = true
	for _, name := range req.Report {
		if val, ok := act["variables."+name].(ref.Val); ok {
			if list, err := val.ConvertToNative(reflect.TypeOf([]string{})); err == nil {
				r.Values[name] = list.([]string)
			}
		}
	}
	for i, c := range checks {
		val, err := eval(c, act)
		if err != nil {
			r.Errors = append(r.Errors, c.name+": "+err.Error())
			r.Denied = append(r.Denied, i)
			continue
		}
		if val.Value() != true {
			r.Denied = append(r.Denied, i)
		}
	}
	act = withVariables()
	for i, m := range messages {
		text := p.Validations[i].Message
		if m.program != nil {
			val, err := eval(m, act)
			if err != nil {
				r.Errors = append(r.Errors, m.name+": "+err.Error())
			} else if s, ok := val.Value().(string); ok {
				text = s
			}
		}
		for _, d := range r.Denied {
			if d == i {
				r.Messages = append(r.Messages, text)
			}
		}
	}
	if r.Cost.Total > runtimeBudget {
		r.Cost.OverLimit = append(r.Cost.OverLimit, "total")
	}
	return r
}

func main() {
	dec := json.NewDecoder(os.Stdin)
	var req request
	if err := dec.Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "celgo: bad request:", err)
		os.Exit(2)
	}
	ans, err := run(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, "celgo:", err)
		os.Exit(2)
	}
	out := json.NewEncoder(os.Stdout)
	if err := out.Encode(ans); err != nil {
		fmt.Fprintln(os.Stderr, "celgo:", err)
		os.Exit(2)
	}
}
