#!/usr/bin/python3
"""Turns docs/openapi.yaml into a C++ source that holds it as compact JSON."""
import json
import os
import sys

import yaml

src, dst = sys.argv[1], sys.argv[2]
os.makedirs(os.path.dirname(dst), exist_ok=True)
with open(src, encoding="utf-8") as f:
    doc = yaml.safe_load(f)
text = json.dumps(doc, separators=(",", ":"), sort_keys=False)
with open(dst, "w", encoding="utf-8") as f:
    f.write("#include <string_view>\nnamespace gatehouse::http {\n")
    f.write("extern const std::string_view kOpenApiJson;\n")
    f.write("const std::string_view kOpenApiJson = R\"gh_openapi(" + text + ")gh_openapi\";\n")
    f.write("}  // namespace gatehouse::http\n")
