# teamspace nightly stop: add kubeflow-resource-stopped to every running Notebook of one namespace.
# Runs as the CronJob's container command (/bin/sh -c). Reads only $NAMESPACE (the pod's own
# namespace, from the downward API); no config value is pasted into this text.
set -eu
: "${NAMESPACE:?NAMESPACE must be set}"
set -f
stamp="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
# One line per notebook: "<name> <value of the stop annotation, empty when running>".
listing="$(kubectl get notebooks.kubeflow.org --namespace "$NAMESPACE" \
  -o 'jsonpath={range .items[*]}{.metadata.name}{" "}{.metadata.annotations.kubeflow-resource-stopped}{"\n"}{end}')"
patch="{\"metadata\":{\"annotations\":{\"kubeflow-resource-stopped\":\"$stamp\"}}}"
stopped=0
skipped=0
IFS='
'
for line in $listing; do
  name="${line%% *}"
  case "$name" in
    '' | *[!a-z0-9-]*) continue ;;  # a continuation line of an odd annotation value, not a name
  esac
  if [ -n "${line#* }" ]; then
    skipped=$((skipped + 1))
    echo "already stopped: $name"
    continue
  fi
  # A field manager of our own: pulumi-kubernetes takes over fields of managers whose name
  # starts with "kubectl" (kubectl-patch is the default) and would then remove this stop.
  kubectl patch notebooks.kubeflow.org "$name" --namespace "$NAMESPACE" --type merge \
    --field-manager teamspace-stop-schedule -p "$patch"
  stopped=$((stopped + 1))
done
echo "stopped $stopped notebook(s), $skipped already stopped, in namespace $NAMESPACE"
