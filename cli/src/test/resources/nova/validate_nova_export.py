"""Feeds `pcikit export nova` output to Nova's own parsers (Debian's python3-nova).

Usage: validate_nova_export.py NOVA_CONF PROVIDER_YAML DEVICES_JSON

- NOVA_CONF is loaded by oslo.config with Nova's option definitions (nova.conf.CONF), then
  [pci] device_spec is parsed by nova.pci.whitelist.Whitelist (nova/pci/devspec.py) and
  [pci] alias by nova.pci.request._get_alias_from_config (its jsonschema and its rules).
- Every device of DEVICES_JSON ([{address, vendor_id, product_id, parent_addr, assignable,
  dev_type, is_pf}]) must be matched by device_spec exactly when pcikit check calls it
  assignable, and by an alias of its vendor, product and device type.
- PROVIDER_YAML is loaded by nova.compute.provider_config.get_provider_configs (schema 1.0, custom
  traits only) from a directory of its own.

Nova decides whether a device_spec address is a PF by looking at the running host's
/sys/bus/pci/devices (nova.pci.utils.is_physical_function); here the answer comes from the demo
host's inventory instead (DEVICES_JSON is_pf), so the result does not depend on the test machine.

Prints one JSON line with what was parsed; exits 1 with the reason when Nova refuses anything.
"""
import json
import os
import shutil
import sys
import tempfile


def main():
    conf_path, provider_path, devices_path = sys.argv[1:4]
    with open(devices_path) as f:
        devices = json.load(f)
    pfs = {d["address"] for d in devices if d.get("is_pf")}

    import nova.conf
    from nova.pci import utils as pci_utils

    pci_utils.is_physical_function = lambda d, b, s, f: "%s:%s:%s.%s" % (d, b, s, f) in pfs

    from nova.compute import provider_config
    from nova.pci import request
    from nova.pci import whitelist

    conf = nova.conf.CONF
    conf(["--config-file", conf_path], project="nova", default_config_files=[])
    specs = whitelist.Whitelist(conf.pci.device_spec)
    aliases = request._get_alias_from_config()

    problems = []
    for d in devices:
        dev = {
            "vendor_id": d["vendor_id"],
            "product_id": d["product_id"],
            "address": d["address"],
            "parent_addr": d.get("parent_addr"),
        }
        matched = specs.device_assignable(dev)
        if matched != d["assignable"]:
            problems.append("%s: device_spec match %s, assignable %s"
                            % (d["address"], matched, d["assignable"]))
        if d["assignable"]:
            ok = any(
                s.get("vendor_id") == d["vendor_id"]
                and s.get("product_id") == d["product_id"]
                and s.get("dev_type") == d["dev_type"]
                for _, (_, spec_list) in aliases.items()
                for s in spec_list)
            if not ok:
                problems.append("%s: no alias for %s:%s %s"
                                % (d["address"], d["vendor_id"], d["product_id"], d["dev_type"]))

    tmp = tempfile.mkdtemp()
    try:
        shutil.copy(provider_path, os.path.join(tmp, "provider.yaml"))
        providers = provider_config.get_provider_configs(tmp)
    finally:
        shutil.rmtree(tmp)

    report = {
        "device_spec": len(specs.specs),
        "aliases": sorted(aliases),
        "providers": {
            k: sorted(v.get("traits", {}).get("additional", [])) for k, v in providers.items()
        },
        "problems": problems,
    }
    print(json.dumps(report, sort_keys=True))
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # Nova's parsers raise on anything they refuse
        print("nova refused: %s: %s" % (type(e).__name__, e))
        sys.exit(1)
