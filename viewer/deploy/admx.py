"""The Group Policy template (ADMX + en-US ADML) for Windows, generated from the configuration
models: one policy per configuration key, in a category per table, writing the registry values
`viewer.config.policy.RegistryPolicies` reads (`HKLM\\Software\\Policies\\<vendor>\\Viewer\\
<table>` value `<key>`). Switches are REG_DWORD 0/1, whole numbers REG_DWORD, lists
REG_MULTI_SZ, everything else REG_SZ (numbers with decimals too; the loader converts them)."""

from __future__ import annotations

import types
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any, Final, Literal, Union, get_args, get_origin

from viewer import __version__
from viewer.config.paths import KeyInfo, all_keys, auth_modes
from viewer.config.policy import POLICY_PRODUCT, POLICY_VENDOR, REGISTRY_POLICY_KEY

ADMX_NS: Final = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"
PREFIX: Final = "viewer"
NAMESPACE: Final = f"{POLICY_VENDOR}.Policies.{POLICY_PRODUCT}"
SUPPORTED: Final = "SUPPORTED_VIEWER"
ROOT_CATEGORY: Final = POLICY_PRODUCT
# Keys that are no policy: locks (every policy is a lock already), free-form tables.
SKIPPED_KEYS: Final = frozenset({"locks.keys", "auth.attributes"})

ElementKind = Literal["boolean", "decimal", "enum", "list", "text"]


@dataclass(frozen=True)
class PolicyKey:
    """One configuration key as a policy: registry key, value name, element kind, choices."""

    path: str
    kind: ElementKind
    description: str
    choices: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.path.replace(".", "_")

    @property
    def table(self) -> str:
        return self.path.rpartition(".")[0]

    @property
    def value_name(self) -> str:
        return self.path.rpartition(".")[2]

    @property
    def registry_key(self) -> str:
        return "\\".join([REGISTRY_POLICY_KEY, *self.table.split(".")])


def _base(annotation: Any) -> Any:
    """The annotation without `None` and `Annotated` wrappers."""
    while hasattr(annotation, "__metadata__"):
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        if len(options) == 1:
            return _base(options[0])
    return annotation


def policy_key(info: KeyInfo) -> PolicyKey | None:
    """The policy of a configuration key; None for tables and keys that are no policy."""
    if info.model is not None or info.path in SKIPPED_KEYS or "." not in info.path:
        return None
    description = info.field.description or ""
    if info.path == "auth.mode":
        return PolicyKey(info.path, "enum", description, auth_modes())
    annotation = _base(info.field.annotation)
    origin = get_origin(annotation)
    if origin is Literal:
        return PolicyKey(info.path, "enum", description, tuple(map(str, get_args(annotation))))
    if origin is list:
        return PolicyKey(info.path, "list", description)
    if origin is dict:
        return None
    if annotation is bool:
        return PolicyKey(info.path, "boolean", description)
    if annotation is int:
        return PolicyKey(info.path, "decimal", description)
    return PolicyKey(info.path, "text", description)


def policy_keys() -> list[PolicyKey]:
    """Every configuration key that is a policy, in the models' order."""
    return [key for info in all_keys().values() if (key := policy_key(info)) is not None]


def _sub(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, tag, attributes)


def _category(table: str) -> str:
    return f"{ROOT_CATEGORY}_{table.replace('.', '_')}"


def _element(policy_element: ET.Element, key: PolicyKey) -> None:
    if key.kind == "boolean":
        _sub(_sub(policy_element, "enabledValue"), "decimal", value="1")
        _sub(_sub(policy_element, "disabledValue"), "decimal", value="0")
        return
    elements = _sub(policy_element, "elements")
    if key.kind == "text":
        _sub(elements, "text", id=key.name, valueName=key.value_name, maxLength="2048")
    elif key.kind == "decimal":
        _sub(elements, "decimal", id=key.name, valueName=key.value_name, maxValue="2000000000")
    elif key.kind == "list":
        _sub(elements, "multiText", id=key.name, valueName=key.value_name)
    else:
        enum = _sub(elements, "enum", id=key.name, valueName=key.value_name, required="true")
        for choice in key.choices:
            item = _sub(enum, "item", displayName=f"$(string.{key.name}_{_safe(choice)})")
            _sub(_sub(item, "value"), "string").text = choice


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text)


def admx(keys: list[PolicyKey] | None = None) -> str:
    """The ADMX file."""
    keys = policy_keys() if keys is None else keys
    root = ET.Element("policyDefinitions", revision="1.0", schemaVersion="1.0", xmlns=ADMX_NS)
    namespaces = _sub(root, "policyNamespaces")
    _sub(namespaces, "target", prefix=PREFIX, namespace=NAMESPACE)
    _sub(namespaces, "using", prefix="windows", namespace="Microsoft.Policies.Windows")
    _sub(root, "resources", minRequiredRevision="1.0")
    definitions = _sub(_sub(root, "supportedOn"), "definitions")
    _sub(definitions, "definition", name=SUPPORTED, displayName=f"$(string.{SUPPORTED})")
    categories = _sub(root, "categories")
    _sub(categories, "category", name=ROOT_CATEGORY, displayName=f"$(string.{ROOT_CATEGORY})")
    for table in dict.fromkeys(key.table for key in keys):
        category = _sub(categories, "category", name=_category(table),
                        displayName=f"$(string.{_category(table)})")  # fmt: skip
        _sub(category, "parentCategory", ref=ROOT_CATEGORY)
    policies = _sub(root, "policies")
    for key in keys:
        policy = _sub(
            policies, "policy", name=key.name, **{"class": "Machine"},
            displayName=f"$(string.{key.name})", explainText=f"$(string.{key.name}_Explain)",
            key=key.registry_key,
        )  # fmt: skip
        if key.kind == "boolean":
            policy.set("valueName", key.value_name)
        else:
            policy.set("presentation", f"$(presentation.{key.name})")
        _sub(policy, "parentCategory", ref=_category(key.table))
        _sub(policy, "supportedOn", ref=SUPPORTED)
        _element(policy, key)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def adml(keys: list[PolicyKey] | None = None) -> str:
    """The en-US ADML file: names, explanations and the input boxes of every policy."""
    keys = policy_keys() if keys is None else keys
    root = ET.Element("policyDefinitionResources", revision="1.0", schemaVersion="1.0",
                      xmlns=ADMX_NS)  # fmt: skip
    _sub(root, "displayName").text = f"{POLICY_PRODUCT} policies"
    _sub(root, "description").text = "Settings of the viewer for Qlik Sense sheets."
    resources = _sub(root, "resources")
    strings = _sub(resources, "stringTable")
    presentations = _sub(resources, "presentationTable")

    def string(name: str, text: str) -> None:
        _sub(strings, "string", id=name).text = text

    string(SUPPORTED, f"{POLICY_PRODUCT} {__version__} and later")
    string(ROOT_CATEGORY, POLICY_PRODUCT)
    for table in dict.fromkeys(key.table for key in keys):
        string(_category(table), f"[{table}]")
    for key in keys:
        string(key.name, key.path)
        string(f"{key.name}_Explain", f"{key.description}\n\nConfiguration key: {key.path}. "
               "Set here, it is locked: users cannot change it.")  # fmt: skip
        for choice in key.choices:
            string(f"{key.name}_{_safe(choice)}", choice)
        if key.kind == "boolean":
            continue
        presentation = _sub(presentations, "presentation", id=key.name)
        box = {"text": "textBox", "decimal": "decimalTextBox", "list": "multiTextBox",
               "enum": "dropdownList"}[key.kind]  # fmt: skip
        element = _sub(presentation, box, refId=key.name)
        if box == "textBox":
            _sub(element, "label").text = key.value_name
        else:
            element.text = key.value_name
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
