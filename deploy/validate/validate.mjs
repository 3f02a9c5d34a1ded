// Validates the committed manifests (deploy/*.yml) against the Kubernetes and Knative schemas
// (kubernetes-models, @kubernetes-models/knative: the OpenAPI schemas of the API server and of Knative Serving),
// then checks what this service relies on: probes, resources, configuration from a Secret and a ConfigMap,
// graceful shutdown, scale to zero and a request timeout longer than a publish.
// Usage: node validate.mjs [files...]
//   (default: ../kubernetes.yml ../knative.yml ../migrate-job.yml ../config-example.yml)
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const files = process.argv.length > 2 ? process.argv.slice(2)
  : ["../kubernetes.yml", "../knative.yml", "../migrate-job.yml", "../config-example.yml"].map((f) => resolve(here, f));

// A publish lasts at most the fetch deadline (5 min) plus the lease margin (30 s).
const PUBLISH_SECONDS = 5 * 60 + 30;
const SHUTDOWN_SECONDS = 330; // quarkus.shutdown.timeout

let failures = 0;
const fail = (where, message) => { failures++; console.error(`FAIL ${where}: ${message}`); };

async function modelClass(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const candidates = group.endsWith("knative.dev")
    ? [`@kubernetes-models/knative/${group}/${version}/${kind}`]
    : [`kubernetes-models/${group ? group + "/" : ""}${version}/${kind}`];
  for (const name of candidates) {
    try {
      const module = await import(name);
      return module[kind] ?? module.default;
    } catch (e) {
      if (e.code !== "ERR_MODULE_NOT_FOUND" && e.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw e;
    }
  }
  return null;
}

const documents = [];
for (const file of files) {
  const text = readFileSync(file, "utf8");
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) { fail(file, doc.errors.map(String).join("; ")); continue; }
    const object = doc.toJS();
    if (object == null) continue;
    const where = `${file.split("/").pop()} ${object.kind}/${object.metadata?.name}`;
    const Model = await modelClass(object.apiVersion, object.kind);
    if (!Model) { fail(where, `no schema for ${object.apiVersion} ${object.kind}`); continue; }
    try {
      new Model(object).validate();
      console.log(`ok   ${where} (${object.apiVersion})`);
    } catch (e) {
      fail(where, e.message + (e.errors ? " " + JSON.stringify(e.errors) : ""));
    }
    documents.push({ file, where, object });
  }
}

const find = (kind, apiVersionPrefix) => documents.filter((d) => d.object.kind === kind
  && d.object.apiVersion.startsWith(apiVersionPrefix));
const check = (where, condition, message) => { if (!condition) fail(where, message); };

function checkContainer(where, container, { startup }) {
  for (const [probe, path] of [["livenessProbe", "/q/health/live"], ["readinessProbe", "/q/health/ready"],
    ...(startup ? [["startupProbe", "/q/health/started"]] : [])]) {
    check(where, container[probe]?.httpGet?.path === path, `${probe} must GET ${path}`);
  }
  const resources = container.resources ?? {};
  for (const r of ["cpu", "memory"]) {
    check(where, resources.requests?.[r], `resources.requests.${r} missing`);
  }
  check(where, resources.limits?.memory, "resources.limits.memory missing");
  const fromSecret = new Set((container.env ?? []).filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.name));
  for (const name of ["QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_JDBC_URL",
    "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD"]) {
    check(where, fromSecret.has(name), `${name} must come from a Secret`);
  }
  check(where, (container.envFrom ?? []).some((e) => e.configMapRef), "configuration (JWT) must come from a ConfigMap");
  check(where, container.securityContext?.runAsNonRoot === true, "must run as non-root");
}

const deployments = find("Deployment", "apps/");
check("kubernetes.yml", deployments.length === 1, "exactly one Deployment expected");
for (const { where, object } of deployments) {
  const pod = object.spec.template.spec;
  const container = pod.containers[0];
  checkContainer(where, container, { startup: true });
  const preStop = container.lifecycle?.preStop;
  check(where, preStop?.sleep?.seconds > 0 || preStop?.httpGet, "a preStop sleep or httpGet is needed");
  const grace = pod.terminationGracePeriodSeconds ?? 30;
  check(where, grace >= (preStop?.sleep?.seconds ?? 0) + SHUTDOWN_SECONDS,
    `terminationGracePeriodSeconds ${grace} < preStop + quarkus.shutdown.timeout (${SHUTDOWN_SECONDS})`);
  const pdbs = find("PodDisruptionBudget", "policy/");
  check(where, pdbs.some((p) => Object.entries(p.object.spec.selector?.matchLabels ?? {})
    .every(([k, v]) => object.spec.template.metadata.labels?.[k] === v)), "no PodDisruptionBudget selects its pods");
}
check("kubernetes.yml", find("Service", "v1").length === 1, "exactly one Service expected");

const knative = find("Service", "serving.knative.dev/");
check("knative.yml", knative.length === 1, "exactly one Knative Service expected");
for (const { where, object } of knative) {
  const template = object.spec.template;
  checkContainer(where, template.spec.containers[0], { startup: false });
  check(where, template.metadata?.annotations?.["autoscaling.knative.dev/min-scale"] === "0",
    "autoscaling.knative.dev/min-scale must be \"0\" (scale to zero)");
  check(where, template.spec.timeoutSeconds > PUBLISH_SECONDS,
    `timeoutSeconds ${template.spec.timeoutSeconds} must exceed a publish (${PUBLISH_SECONDS} s)`);
}

// The migration Job (written by hand) runs the service's image against the service's database Secret.
const jobs = find("Job", "batch/");
check("migrate-job.yml", jobs.length === 1, "exactly one migration Job expected");
for (const { where, object } of jobs) {
  const container = object.spec.template.spec.containers[0];
  const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
  check(where, env.QUARKUS_INIT_AND_EXIT === "true" && env.QUARKUS_FLYWAY_MIGRATE_AT_START === "true",
    "must run Flyway and exit (QUARKUS_INIT_AND_EXIT, QUARKUS_FLYWAY_MIGRATE_AT_START)");
  for (const { where: other, object: service } of [...deployments, ...knative]) {
    const served = (service.kind === "Deployment" ? service.spec.template.spec : service.spec.template.spec).containers[0];
    check(where, container.image === served.image, `image ${container.image} differs from ${other}'s ${served.image}`);
    const secrets = (c) => JSON.stringify((c.env ?? []).filter((e) => e.valueFrom?.secretKeyRef)
      .map((e) => [e.name, e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key]).sort());
    check(where, secrets(container) === secrets(served), `database Secret references differ from ${other}'s`);
  }
}

if (failures) {
  console.error(`${failures} problem(s) in the deployment manifests`);
  process.exit(1);
}
console.log(`deployment manifests valid: ${documents.length} objects`);
