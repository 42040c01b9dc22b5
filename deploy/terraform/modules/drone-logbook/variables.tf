# Every setting of the Dronelog deployment, with the homelab's values as defaults.
# deploy/test/terraform.test.ts reads these defaults and checks the conventions against them.

# --- Identity -----------------------------------------------------------------------------------

variable "namespace" {
  description = "Namespace for everything the module creates (it creates the namespace too)."
  type        = string
  default     = "drone-logbook"
}

variable "name" {
  description = "Name of the Deployment, Service, ConfigMap and the app label."
  type        = string
  default     = "drone-logbook"
}

variable "tier" {
  description = "Value of the `tier` label on the namespace and workloads (cluster priority tiers)."
  type        = string
  default     = "4-aux"
}

variable "keel_enrolled" {
  description = "Label the namespace keel.sh/enrolled=true so Keel upgrades the image automatically."
  type        = bool
  default     = true
}

# --- Workload -----------------------------------------------------------------------------------

variable "image" {
  description = "Dronelog image (built from the repository's root Dockerfile). Keel tracks its tag once deployed."
  type        = string
  default     = "ghcr.io/viktorbarzin/dronelog:latest"
}

variable "image_pull_policy" {
  description = "Image pull policy of the app and backup containers."
  type        = string
  default     = "Always"
}

variable "replicas" {
  description = "Pods of the app. DuckDB is single-writer on a ReadWriteOnce volume: 1 (or 0 to park it), never more."
  type        = number
  default     = 1
  validation {
    condition     = var.replicas == 0 || var.replicas == 1
    error_message = "replicas must be 0 or 1: DuckDB allows one writer and the data volume is ReadWriteOnce."
  }
}

variable "deployment_strategy" {
  description = "Deployment strategy. Only Recreate is safe: a rolling update would run two pods on one DuckDB file."
  type        = string
  default     = "Recreate"
  validation {
    condition     = var.deployment_strategy == "Recreate"
    error_message = "deployment_strategy must be Recreate (DuckDB is single-writer, the volume is ReadWriteOnce)."
  }
}

variable "memory" {
  description = "Memory request and limit of the app container (equal on purpose: guaranteed memory, no overcommit)."
  type        = string
  default     = "512Mi"
}

variable "cpu_request" {
  description = "CPU request of the app container. There is deliberately no CPU limit (no throttling of parses)."
  type        = string
  default     = "25m"
}

variable "container_port" {
  description = "Port the app listens on inside the pod (env PORT)."
  type        = number
  default     = 8080
}

variable "service_port" {
  description = "Port of the ClusterIP Service in front of the app."
  type        = number
  default     = 80
}

variable "liveness_path" {
  description = "HTTP path of the liveness probe (the process answers)."
  type        = string
  default     = "/healthz"
}

variable "readiness_path" {
  description = "HTTP path of the readiness probe (DuckDB open, migrations applied)."
  type        = string
  default     = "/readyz"
}

variable "run_as_user" {
  description = "UID the app and the backup job run as (the image's user)."
  type        = number
  default     = 10001
}

variable "run_as_group" {
  description = "GID the app and the backup job run as."
  type        = number
  default     = 10001
}

variable "fs_group" {
  description = "fsGroup: the data volume is made group-writable for this GID."
  type        = number
  default     = 10001
}

variable "tmp_size_limit" {
  description = "Size limit of the emptyDir mounted at /tmp (the root filesystem is read-only)."
  type        = string
  default     = "256Mi"
}

variable "extra_env" {
  description = "Additional plain environment variables for the app (e.g. LOG_LEVEL, PARSE_CONCURRENCY)."
  type        = map(string)
  default     = {}
}

# --- App settings (environment) -----------------------------------------------------------------

variable "data_path" {
  description = "Mount path of the data volume; also DATA_DIR."
  type        = string
  default     = "/data/drone-logbook"
}

variable "sync_logs_mount_path" {
  description = "Where the NFS drop folder is mounted read-only; also SYNC_LOGS_PATH."
  type        = string
  default     = "/sync-logs"
}

variable "sync_interval" {
  description = "SYNC_INTERVAL: 6-field cron (sec min hour dom mon dow) of the drop-folder import. Default 00:00, 08:00, 16:00."
  type        = string
  default     = "0 0 */8 * * *"
}

variable "keep_uploaded_files" {
  description = "KEEP_UPLOADED_FILES: keep the original log files under DATA_DIR so flights can be re-imported."
  type        = bool
  default     = true
}

# --- Profiles, sessions and the reverse proxy -----------------------------------------------------
# Traefik (with Authentik forward-auth) is the app's only client apart from the backup job, probes and
# scrapes. See "Profiles and identity behind Authentik" in deploy/terraform/README.md.

variable "trust_proxy" {
  description = <<-EOT
    TRUST_PROXY: comma list of the addresses (IPs/CIDRs) of the reverse proxy whose X-Forwarded-For/-Proto/-Host
    and identity header the app believes. Traefik reaches the pod from its own pod IP, so this is the cluster's pod
    CIDR. The default 10.42.0.0/16 is k3s's; kubeadm clusters use whatever the CNI was given (flannel 10.244.0.0/16,
    Calico 192.168.0.0/16 unless changed): check with `kubectl -n traefik get pods -o wide`. A wrong value fails
    safe for identity (the header is ignored) but the app then sees every request as plain http from one client
    (no Secure session cookie, no HSTS, one shared rate-limit budget). Every pod in the range is trusted, not only
    Traefik. Empty = trust no proxy. `true` is refused: Traefik here accepts client-sent X-Forwarded-For.
  EOT
  type        = string
  default     = "10.42.0.0/16"
  nullable    = false # null (e.g. from the cluster root) means this default
  validation {
    condition     = var.trust_proxy == "" || can(regex("^[0-9a-fA-F.:]+(/[0-9]{1,3})?(\\s*,\\s*[0-9a-fA-F.:]+(/[0-9]{1,3})?)*$", var.trust_proxy))
    error_message = "trust_proxy must be empty or a comma list of IPs/CIDRs (the proxy's addresses), e.g. \"10.42.0.0/16\"."
  }
}

variable "allowed_hosts" {
  description = <<-EOT
    ALLOWED_HOSTS: host names the app answers to (others get 421; probes and /metrics are exempt). null = computed:
    ingress_host, the Service's in-cluster names (the backup job calls <name>.<namespace>.svc.cluster.local) and
    localhost/127.0.0.1 for `kubectl port-forward`. Entries without a port match any port (clients drop :80 from
    Host, so "name:80" alone would refuse them).
  EOT
  type        = list(string)
  default     = null
}

variable "trust_proxy_auth_header" {
  description = <<-EOT
    TRUST_PROXY_AUTH_HEADER: request header in which the proxy names the signed-in user, shown in the app and written
    to the audit trail. Authentik's outpost sets X-authentik-username; the cluster's forward-auth middleware must list
    it in authResponseHeaders. Read only from TRUST_PROXY addresses. Empty = off. Needs trust_proxy.
  EOT
  type        = string
  default     = "X-authentik-username"
  validation {
    condition     = can(regex("^[A-Za-z0-9-]*$", var.trust_proxy_auth_header))
    error_message = "trust_proxy_auth_header must be an HTTP header name such as X-authentik-username (or empty)."
  }
}

variable "strip_client_identity_header" {
  description = <<-EOT
    Put a Traefik headers middleware (<name>-strip-identity, in the namespace) before ingress_middlewares on the
    module's Ingress that deletes any client-sent trust_proxy_auth_header. Forward-auth then sets it from Authentik's
    answer. Defence in depth: the header cannot be forged even if the forward-auth middleware stops copying it.
    Needs the Traefik CRDs (traefik.io/v1alpha1) at plan time. Only with create_ingress.
  EOT
  type        = bool
  default     = true
}

variable "traefik_api_version" {
  description = "API version of Traefik's Middleware CRD (strip_client_identity_header)."
  type        = string
  default     = "traefik.io/v1alpha1"
}

variable "session_ttl_hours" {
  description = "SESSION_TTL_HOURS: a login session ends after this many hours without use (1-8760)."
  type        = number
  default     = 24
  validation {
    condition     = var.session_ttl_hours >= 1 && var.session_ttl_hours <= 8760 && floor(var.session_ttl_hours) == var.session_ttl_hours
    error_message = "session_ttl_hours must be a whole number of hours between 1 and 8760."
  }
}

variable "login_max_failures" {
  description = "LOGIN_MAX_FAILURES: wrong passwords in a row before a lockout (1-1000)."
  type        = number
  default     = 5
  validation {
    condition     = var.login_max_failures >= 1 && var.login_max_failures <= 1000 && floor(var.login_max_failures) == var.login_max_failures
    error_message = "login_max_failures must be a whole number between 1 and 1000."
  }
}

variable "login_lockout_seconds" {
  description = "LOGIN_LOCKOUT_S: seconds of the first lockout (1-86400); each further one doubles it, up to an hour."
  type        = number
  default     = 60
  validation {
    condition     = var.login_lockout_seconds >= 1 && var.login_lockout_seconds <= 86400 && floor(var.login_lockout_seconds) == var.login_lockout_seconds
    error_message = "login_lockout_seconds must be a whole number of seconds between 1 and 86400."
  }
}

# --- Data volume --------------------------------------------------------------------------------

variable "data_pvc_name" {
  description = "Name of the PVC with the DuckDB file and kept originals."
  type        = string
  default     = "drone-logbook-data-encrypted"
}

variable "data_storage_class" {
  description = "Storage class of the data PVC. Encrypted: flight logs are GPS traces of home and travel."
  type        = string
  default     = "proxmox-lvm-encrypted"
}

variable "data_storage_size" {
  description = "Initial size of the data PVC (the autoresizer grows it; Terraform ignores later changes)."
  type        = string
  default     = "2Gi"
}

variable "data_resize_threshold" {
  description = "resize.topolvm.io/threshold: grow the data PVC when free space drops below this."
  type        = string
  default     = "10%"
}

variable "data_resize_increase" {
  description = "resize.topolvm.io/increase: how much to grow the data PVC by each time."
  type        = string
  default     = "100%"
}

variable "data_storage_limit" {
  description = "resize.topolvm.io/storage_limit: the data PVC never grows past this."
  type        = string
  default     = "10Gi"
}

# --- NFS (drop folder and backups) --------------------------------------------------------------

variable "nfs_server" {
  description = "NFS server holding the drop folder and the backup export."
  type        = string
  default     = "192.168.1.127"
}

variable "nfs_mount_options" {
  description = "Mount options of both static NFS volumes."
  type        = list(string)
  default     = ["nfsvers=4", "soft", "actimeo=5", "retrans=3", "timeo=30"]
}

variable "nfs_csi_driver" {
  description = "CSI driver of the static NFS volumes (csi-driver-nfs)."
  type        = string
  default     = "nfs.csi.k8s.io"
}

variable "nfs_storage_class_name" {
  description = "Binding label of the static NFS PV/PVC pairs (not a provisioner: the volumes are static)."
  type        = string
  default     = "nfs-pve"
}

variable "sync_logs_nfs_path" {
  description = "NFS export of the drop folder (DJI logs placed there are imported on SYNC_INTERVAL). Mounted read-only."
  type        = string
  default     = "/srv/nfs/drone-logbook/sync-logs"
}

variable "sync_logs_volume_name" {
  description = "Name of the static PV and PVC of the drop folder (PVs are cluster-scoped: keep it unique)."
  type        = string
  default     = "drone-logbook-sync-logs"
}

# --- Secrets ------------------------------------------------------------------------------------

variable "secret_name" {
  description = "Kubernetes Secret the ExternalSecret writes (and the pod reads)."
  type        = string
  default     = "drone-logbook-secrets"
}

variable "secret_store_name" {
  description = "External Secrets store holding the Vault KV secrets."
  type        = string
  default     = "vault-kv"
}

variable "secret_store_kind" {
  description = "Kind of the External Secrets store."
  type        = string
  default     = "ClusterSecretStore"
}

variable "vault_secret_key" {
  description = "Key of the Vault KV secret under the store's mount: secret/drone-logbook. All its properties land in the Secret."
  type        = string
  default     = "drone-logbook"
}

variable "external_secrets_api_version" {
  description = "API version of the ExternalSecret CRD installed in the cluster."
  type        = string
  default     = "external-secrets.io/v1"
}

variable "secret_refresh_interval" {
  description = "How often External Secrets re-reads Vault."
  type        = string
  default     = "15m"
}

variable "profile_creation_pass_key" {
  description = "Property of the Vault secret (and key of the Secret) holding PROFILE_CREATION_PASS, the master password for creating and deleting profiles."
  type        = string
  default     = "profile_creation_pass"
}

variable "profile_creation_pass_optional" {
  description = <<-EOT
    false (default): the pod does not start until profile_creation_pass is in Vault (CreateContainerConfigError),
    because without it anyone who gets past Authentik may create and delete profiles and put the first password on an
    open one. true: a missing property just leaves the master password off.
  EOT
  type        = bool
  default     = false
}

variable "default_profile_password_key" {
  description = "Property of the Vault secret (and key of the Secret) holding DEFAULT_PROFILE_PASSWORD: set once as the default profile's password if it has none, never overwrites. Optional."
  type        = string
  default     = "default_profile_password"
}

variable "dji_api_key_key" {
  description = "Property of the Vault secret (and key of the Secret) holding DJI_API_KEY. Optional: absent means no key."
  type        = string
  default     = "dji_api_key"
}

# --- Backup -------------------------------------------------------------------------------------

variable "backup_schedule" {
  description = "Cron schedule of the backup job: 01:30 daily, outside the 00:00/08:00/16:00 sync windows."
  type        = string
  default     = "30 1 * * *"
}

variable "backup_nfs_path" {
  description = "NFS export receiving the dated backup folders (writable by run_as_user)."
  type        = string
  default     = "/srv/nfs/drone-logbook-backup"
}

variable "backup_volume_name" {
  description = "Name of the static PV and PVC of the backup export."
  type        = string
  default     = "drone-logbook-backup"
}

variable "backup_retention_days" {
  description = "Dated backup folders older than this many days are deleted by the job."
  type        = number
  default     = 30
}

variable "backup_path" {
  description = "App endpoint streaming a consistent archive of the data (called over the in-cluster Service; the live DuckDB file is never copied)."
  type        = string
  default     = "/api/v1/backup"
}

variable "backup_image" {
  description = "Image of the backup job; it needs Node 20 (the script uses fetch). null = the app image."
  type        = string
  default     = null
}

variable "backup_timeout_seconds" {
  description = "Longest a backup may take (download included) before the job fails."
  type        = number
  default     = 1800
}

variable "backup_token_key" {
  description = "Optional key of the Secret with a bearer token the backup job sends to the backup endpoint (absent = no header)."
  type        = string
  default     = "backup_token"
}

variable "pushgateway_url" {
  description = "Prometheus Pushgateway the backup job pushes its success metrics to (empty = don't push)."
  type        = string
  default     = "http://prometheus-prometheus-pushgateway.monitoring:9091"
}

variable "pushgateway_job" {
  description = "Pushgateway job label of the backup metrics (backup_last_success_timestamp, ...)."
  type        = string
  default     = "drone-logbook-backup"
}

# --- Ingress ------------------------------------------------------------------------------------

variable "create_ingress" {
  description = "Create the Ingress. Set false to use the cluster's own ingress module against the Service instead."
  type        = bool
  default     = true
}

variable "ingress_host" {
  description = "Public host name."
  type        = string
  default     = "dronelog.viktorbarzin.me"
}

variable "ingress_class_name" {
  description = "Ingress class."
  type        = string
  default     = "traefik"
}

variable "ingress_middlewares" {
  description = "Traefik middlewares (router.middlewares annotation): Authentik forward-auth gates the whole app."
  type        = string
  default     = "traefik-authentik-forward-auth@kubernetescrd"
}

variable "tls_secret_name" {
  description = "TLS secret (in the namespace) for the ingress host."
  type        = string
  default     = "tls-secret"
}

variable "uptime_annotations" {
  description = "Uptime monitor annotations on the Ingress."
  type        = map(string)
  default = {
    "uptime.viktorbarzin.me/external-monitor" = "true"
  }
}

variable "homepage_enabled" {
  description = "Add the gethomepage.dev annotations (Homepage dashboard entry)."
  type        = bool
  default     = true
}

variable "homepage_name" {
  description = "Homepage entry name."
  type        = string
  default     = "Drone Logbook"
}

variable "homepage_description" {
  description = "Homepage entry description."
  type        = string
  default     = "DJI flight logbook"
}

variable "homepage_group" {
  description = "Homepage group."
  type        = string
  default     = "Media & Entertainment"
}

variable "homepage_icon" {
  description = "Homepage icon."
  type        = string
  default     = "mdi-quadcopter"
}

variable "homepage_href" {
  description = "Homepage link."
  type        = string
  default     = "https://dronelog.viktorbarzin.me"
}

variable "extra_ingress_annotations" {
  description = "More Ingress annotations, merged last."
  type        = map(string)
  default     = {}
}

variable "network_policy" {
  description = "Create a NetworkPolicy that admits only network_policy_allowed_namespaces (the reverse proxy) and the backup job to the app's port (network-policy.tf). Off by default: check that the CNI still lets kubelet probes through."
  type        = bool
  default     = false
}

variable "network_policy_allowed_namespaces" {
  description = "Namespaces whose pods may reach the app when network_policy = true: the reverse proxy's (Traefik), plus e.g. monitoring for a Prometheus scrape."
  type        = list(string)
  default     = ["traefik"]
}
