#!/usr/bin/env python3
"""bench/k8s-schemas.py: build kubeconform's offline schema directory from a
Kubernetes `_definitions.json` (the OpenAPI v2 definitions, as in the
fixtures of yannh/kubeconform), without the network.

    bench/k8s-schemas.py _definitions.json OUTDIR

writes, for every definition that names a kind (x-kubernetes-group-version-kind),
the standalone schemas kubeconform looks up under a local -schema-location:

    OUTDIR/master-standalone/{kind}{-group}-{version}.json
    OUTDIR/master-standalone-strict/{kind}{-group}-{version}.json

(kubeconform's default template `{{ .NormalizedKubernetesVersion
}}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json`:
the kind in lower case, the group's first label, "master" as the version).
As the schemas of yannh/kubernetes-json-schema: every $ref inlined (a
reference replaces the object that holds it), every type but the root's and
those of required properties allows null, and the strict set adds
`additionalProperties: false` wherever there are properties. A recursive
reference (JSONSchemaProps) is kept as a local reference into the file's own
`definitions`.
"""
import copy
import json
import os
import sys

PREFIX = "#/definitions/"


def deref(defs, name, stack, cyclic):
    return _inline(defs, defs[name], stack + [name], cyclic)


def _inline(defs, node, stack, cyclic):
    if isinstance(node, list):
        return [_inline(defs, x, stack, cyclic) for x in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(PREFIX):
        target = ref[len(PREFIX):]
        if target in stack:
            cyclic.add(target)
            return {"$ref": ref}
        return deref(defs, target, stack, cyclic)
    return {k: _inline(defs, v, stack, cyclic) for k, v in node.items()}


def allow_null_optional_fields(node, nullable=False):
    # as the schemas of yannh/kubernetes-json-schema: every sub-schema may
    # be null, except the root and the properties their object requires
    if isinstance(node, list):
        return [allow_null_optional_fields(x, True) for x in node]
    if not isinstance(node, dict):
        return node
    required = node.get("required") if isinstance(node.get("required"), list) else []
    new = {}
    for k, v in node.items():
        if k == "type" and isinstance(v, str) and v != "null" and nullable:
            new[k] = [v, "null"]
        elif k == "properties" and isinstance(v, dict):
            new[k] = {p: allow_null_optional_fields(ps, p not in required) for p, ps in v.items()}
        elif k == "definitions" and isinstance(v, dict):
            new[k] = {d: allow_null_optional_fields(ds) for d, ds in v.items()}
        else:  # items, additionalProperties, oneOf
            new[k] = allow_null_optional_fields(v, True)
    return new


def strict(data):
    if isinstance(data, list):
        return [strict(x) for x in data]
    if not isinstance(data, dict):
        return data
    new = {k: strict(v) for k, v in data.items()}
    if "properties" in new and "additionalProperties" not in new:
        new["additionalProperties"] = False
    return new


def file_name(gvk):
    kind_suffix = "-" + gvk["group"].split(".")[0].lower() if gvk["group"] else ""
    return "%s%s-%s.json" % (gvk["kind"].lower(), kind_suffix, gvk["version"].lower())


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: k8s-schemas.py _definitions.json OUTDIR")
    with open(sys.argv[1]) as f:
        defs = json.load(f)["definitions"]
    out = sys.argv[2]
    dirs = {False: os.path.join(out, "master-standalone"), True: os.path.join(out, "master-standalone-strict")}
    for d in dirs.values():
        os.makedirs(d, exist_ok=True)
    written = 0
    for name in sorted(defs):
        gvks = defs[name].get("x-kubernetes-group-version-kind")
        if not gvks:
            continue
        cyclic = set()
        schema = deref(defs, name, [], cyclic)
        local = {}
        while cyclic - local.keys():  # recursive types: a local definitions table
            for c in sorted(cyclic - local.keys()):
                local[c] = deref(defs, c, [c], cyclic)
        if local:
            schema["definitions"] = local
        schema = allow_null_optional_fields(schema)
        schema["$schema"] = "http://json-schema.org/schema#"
        api = schema.get("properties", {}).get("apiVersion")
        if len(gvks) == 1 and isinstance(api, dict) and "enum" not in api:
            g = gvks[0]
            api["enum"] = [g["group"] + "/" + g["version"] if g["group"] else g["version"]]
        for gvk in gvks:
            for is_strict, d in dirs.items():
                s = strict(copy.deepcopy(schema)) if is_strict else schema
                with open(os.path.join(d, file_name(gvk)), "w") as f:
                    json.dump(s, f, indent=2, sort_keys=True)
                    f.write("\n")
            written += 1
    print("%d kinds written under %s" % (written, out), file=sys.stderr)


if __name__ == "__main__":
    main()
