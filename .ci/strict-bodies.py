"""Validates bodies Roblox sends against our specs with a strict OpenAPI 3.0 schema validator.

Our generator tolerates schemas that strict readers do not (a `nullable` beside `allOf`, for one), so this checks
the specs as other tools read them: openapi-schema-validator's OAS30Validator, where `nullable` counts only beside
a `type`. Each case names a component, a body and whether a strict reader must accept it; the bodies that must be
refused prove that the validator checks what it is given. Exits 1 naming each case that went the wrong way.
"""

import pathlib
import sys

import yaml
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource

ROOT = pathlib.Path(__file__).resolve().parent.parent
OWNER = {"id": 1, "type": 1, "name": "Roblox"}

# (spec, component, what the body is, body, accepted)
CASES = [
    # Hidden and deleted owners come back as null (WIRE-QUIRKS 5).
    ("legacy-v2", "AssetOwnerResponse", "a null owner", {"id": 5, "owner": None}, True),
    ("legacy-v2", "AssetOwnerResponse", "an owner", {"id": 5, "owner": OWNER}, True),
    ("legacy-v2", "AssetOwnerResponse", "no owner field", {"id": 5}, True),
    ("legacy-v2", "AssetOwnerResponse", "an owner that is a string", {"owner": "Roblox"}, False),
    ("legacy-v2", "AssetOwnerResponse", "an owner whose id is text", {"owner": {"id": "x"}}, False),
    ("legacy-v2", "CollectibleItemOwnerResponse", "a null owner", {"serialNumber": 7, "owner": None}, True),
    ("legacy-v2", "CollectibleItemOwnerResponse", "an owner", {"owner": OWNER}, True),
    ("legacy-v2", "CollectibleItemOwnerResponse", "an owner that is a number", {"owner": 3}, False),
    (
        "legacy-v2",
        "AssetOwnerResponsePage",
        "a page with a hidden owner",
        {
            "previousPageCursor": None,
            "nextPageCursor": None,
            "data": [{"id": 1, "owner": OWNER}, {"id": 2, "owner": None, "serialNumber": None}],
        },
        True,
    ),
    (
        "legacy-v2",
        "CollectibleItemOwnerResponsePage",
        "a page with a hidden owner",
        {"previousPageCursor": None, "nextPageCursor": "abc", "data": [{"owner": None}]},
        True,
    ),
]


def validator(spec_name, component):
    path = ROOT / "spec" / f"{spec_name}.yaml"
    spec = yaml.safe_load(path.read_text())
    base = path.as_uri()
    OAS30Validator.check_schema(spec["components"]["schemas"][component])
    registry = Registry().with_resource(base, Resource.opaque(spec))
    return OAS30Validator({"$ref": f"{base}#/components/schemas/{component}"}, registry=registry)


def main():
    wrong = []
    for spec_name, component, what, body, accepted in CASES:
        errors = [
            f"{'/'.join(map(str, error.absolute_path)) or '(body)'}: {error.message}"
            for error in validator(spec_name, component).iter_errors(body)
        ]
        if accepted and errors:
            wrong.append(f"{spec_name} {component}, {what}: refused: {'; '.join(errors)}")
        elif not accepted and not errors:
            wrong.append(f"{spec_name} {component}, {what}: accepted, but must be refused")
    for line in wrong:
        print(f"strict OpenAPI 3.0: {line}", file=sys.stderr)
    print(f"strict OpenAPI 3.0: {len(CASES) - len(wrong)} of {len(CASES)} bodies read as they must")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
