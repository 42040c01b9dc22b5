# Dronelog on the homelab cluster: one pod (Fastify API + web app, DuckDB on an encrypted RWO
# volume), a read-only NFS drop folder, secrets from Vault, a daily backup job (backup.tf) and an
# optional Authentik-gated ingress (ingress.tf).

locals {
  app_labels = {
    app = var.name
  }
  namespace_labels = {
    tier               = var.tier
    "keel.sh/enrolled" = tostring(var.keel_enrolled) # Keel acts on "true" only
  }
  service_host = "${var.name}.${var.namespace}.svc.cluster.local"
  # ALLOWED_HOSTS unless var.allowed_hosts says otherwise. No ports: an entry without one matches any port, and
  # clients leave the default :80 out of Host (the backup job's fetch sends "<service_host>", not ":80").
  default_allowed_hosts = [
    var.ingress_host,
    local.service_host, # the backup CronJob (backup.tf, local.backup_url)
    "${var.name}.${var.namespace}.svc",
    "${var.name}.${var.namespace}",
    var.name,    # callers in the same namespace
    "localhost", # kubectl port-forward (restore, debugging)
    "127.0.0.1",
  ]
  allowed_hosts = var.allowed_hosts == null ? local.default_allowed_hosts : var.allowed_hosts
}

resource "kubernetes_namespace" "this" {
  metadata {
    name   = var.namespace
    labels = local.namespace_labels
  }
  lifecycle {
    # Kyverno (goldilocks VPA policy) stamps this label on every namespace.
    ignore_changes = [metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]]
  }
}

# --- Secrets: Vault KV secret/drone-logbook -> Secret drone-logbook-secrets -----------------------
# dataFrom.extract copies every property, so optional ones (dji_api_key, backup_token) simply
# appear when they are set in Vault; the pod refers to them with optional = true.
resource "kubernetes_manifest" "external_secret" {
  manifest = {
    apiVersion = var.external_secrets_api_version
    kind       = "ExternalSecret"
    metadata = {
      name      = var.secret_name
      namespace = kubernetes_namespace.this.metadata[0].name
    }
    spec = {
      refreshInterval = var.secret_refresh_interval
      secretStoreRef = {
        name = var.secret_store_name
        kind = var.secret_store_kind
      }
      target = {
        name           = var.secret_name
        creationPolicy = "Owner"
      }
      dataFrom = [{
        extract = {
          key = var.vault_secret_key
        }
      }]
    }
  }
  field_manager {
    force_conflicts = true
  }
}

# --- Data: DuckDB file, kept originals, upload temp ----------------------------------------------
# Block storage (DuckDB wants local fsync semantics, not NFS), encrypted (GPS traces).
resource "kubernetes_persistent_volume_claim" "data" {
  wait_until_bound = false
  metadata {
    name      = var.data_pvc_name
    namespace = kubernetes_namespace.this.metadata[0].name
    labels    = local.app_labels
    annotations = {
      "resize.topolvm.io/threshold"     = var.data_resize_threshold
      "resize.topolvm.io/increase"      = var.data_resize_increase
      "resize.topolvm.io/storage_limit" = var.data_storage_limit
    }
  }
  spec {
    access_modes       = ["ReadWriteOnce"]
    storage_class_name = var.data_storage_class
    resources {
      requests = {
        storage = var.data_storage_size
      }
    }
  }
  lifecycle {
    # The autoresizer raises requests.storage and PVCs cannot shrink: without this every apply
    # would try to set the size back.
    ignore_changes = [spec[0].resources[0].requests]
  }
}

# --- Drop folder: static NFS volume, read-only ---------------------------------------------------
resource "kubernetes_persistent_volume" "sync_logs" {
  metadata {
    name   = var.sync_logs_volume_name
    labels = local.app_labels
  }
  spec {
    capacity = {
      storage = "1Gi" # informational for NFS
    }
    access_modes                     = ["ReadOnlyMany"]
    persistent_volume_reclaim_policy = "Retain"
    storage_class_name               = var.nfs_storage_class_name
    volume_mode                      = "Filesystem"
    mount_options                    = var.nfs_mount_options
    persistent_volume_source {
      csi {
        driver        = var.nfs_csi_driver
        volume_handle = var.sync_logs_volume_name
        read_only     = true
        volume_attributes = {
          server = var.nfs_server
          share  = var.sync_logs_nfs_path
        }
      }
    }
  }
}

resource "kubernetes_persistent_volume_claim" "sync_logs" {
  wait_until_bound = false
  metadata {
    name      = var.sync_logs_volume_name
    namespace = kubernetes_namespace.this.metadata[0].name
    labels    = local.app_labels
  }
  spec {
    access_modes       = ["ReadOnlyMany"]
    storage_class_name = var.nfs_storage_class_name
    volume_name        = kubernetes_persistent_volume.sync_logs.metadata[0].name
    resources {
      requests = {
        storage = "1Gi"
      }
    }
  }
}

# --- The app -------------------------------------------------------------------------------------
resource "kubernetes_deployment" "app" {
  metadata {
    name      = var.name
    namespace = kubernetes_namespace.this.metadata[0].name
    labels    = merge(local.app_labels, { tier = var.tier })
  }
  spec {
    replicas = var.replicas
    strategy {
      # DuckDB is single-writer and the volume is ReadWriteOnce: never two pods at once.
      type = var.deployment_strategy
    }
    selector {
      match_labels = local.app_labels
    }
    template {
      metadata {
        labels = merge(local.app_labels, { tier = var.tier })
      }
      spec {
        automount_service_account_token  = false
        enable_service_links             = false
        termination_grace_period_seconds = 30
        security_context {
          run_as_non_root        = true
          run_as_user            = var.run_as_user
          run_as_group           = var.run_as_group
          fs_group               = var.fs_group
          fs_group_change_policy = "OnRootMismatch"
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }
        container {
          name              = "dronelog"
          image             = var.image
          image_pull_policy = var.image_pull_policy
          port {
            name           = "http"
            container_port = var.container_port
            protocol       = "TCP"
          }
          env {
            name  = "PORT"
            value = tostring(var.container_port)
          }
          env {
            name  = "DATA_DIR"
            value = var.data_path
          }
          env {
            name  = "SYNC_LOGS_PATH"
            value = var.sync_logs_mount_path
          }
          env {
            name  = "SYNC_INTERVAL"
            value = var.sync_interval
          }
          env {
            name  = "KEEP_UPLOADED_FILES"
            value = tostring(var.keep_uploaded_files)
          }
          # Behind Traefik: client IPs, https and the signed-in user come from the proxy (README: "Profiles and
          # identity behind Authentik").
          env {
            name  = "TRUST_PROXY"
            value = var.trust_proxy
          }
          env {
            name  = "TRUST_PROXY_AUTH_HEADER"
            value = var.trust_proxy_auth_header
          }
          env {
            name  = "ALLOWED_HOSTS"
            value = join(",", local.allowed_hosts)
          }
          env {
            name  = "SESSION_TTL_HOURS"
            value = tostring(var.session_ttl_hours)
          }
          env {
            name  = "LOGIN_MAX_FAILURES"
            value = tostring(var.login_max_failures)
          }
          env {
            name  = "LOGIN_LOCKOUT_S"
            value = tostring(var.login_lockout_seconds)
          }
          # Secrets from Vault (ExternalSecret above). The app removes both from its environment at start-up.
          env {
            name = "PROFILE_CREATION_PASS"
            value_from {
              secret_key_ref {
                name     = var.secret_name
                key      = var.profile_creation_pass_key
                optional = var.profile_creation_pass_optional
              }
            }
          }
          env {
            name = "DEFAULT_PROFILE_PASSWORD"
            value_from {
              secret_key_ref {
                name     = var.secret_name
                key      = var.default_profile_password_key
                optional = true
              }
            }
          }
          env {
            name = "DJI_API_KEY"
            value_from {
              secret_key_ref {
                name     = var.secret_name
                key      = var.dji_api_key_key
                optional = true
              }
            }
          }
          dynamic "env" {
            for_each = var.extra_env
            content {
              name  = env.key
              value = env.value
            }
          }
          resources {
            requests = {
              cpu    = var.cpu_request
              memory = var.memory
            }
            limits = {
              memory = var.memory
            }
          }
          startup_probe {
            http_get {
              path = var.liveness_path
              port = "http"
            }
            period_seconds    = 2
            failure_threshold = 60
          }
          liveness_probe {
            http_get {
              path = var.liveness_path
              port = "http"
            }
            period_seconds    = 30
            timeout_seconds   = 5
            failure_threshold = 3
          }
          readiness_probe {
            http_get {
              path = var.readiness_path
              port = "http"
            }
            period_seconds    = 10
            timeout_seconds   = 5
            failure_threshold = 3
          }
          security_context {
            run_as_non_root            = true
            run_as_user                = var.run_as_user
            run_as_group               = var.run_as_group
            allow_privilege_escalation = false
            privileged                 = false
            read_only_root_filesystem  = true
            capabilities {
              drop = ["ALL"]
            }
            seccomp_profile {
              type = "RuntimeDefault"
            }
          }
          volume_mount {
            name       = "data"
            mount_path = var.data_path
          }
          volume_mount {
            name       = "sync-logs"
            mount_path = var.sync_logs_mount_path
            read_only  = true
          }
          volume_mount {
            name       = "tmp"
            mount_path = "/tmp"
          }
        }
        volume {
          name = "data"
          persistent_volume_claim {
            claim_name = kubernetes_persistent_volume_claim.data.metadata[0].name
          }
        }
        volume {
          name = "sync-logs"
          persistent_volume_claim {
            claim_name = kubernetes_persistent_volume_claim.sync_logs.metadata[0].name
            read_only  = true
          }
        }
        volume {
          name = "tmp"
          empty_dir {
            size_limit = var.tmp_size_limit
          }
        }
      }
    }
  }
  depends_on = [kubernetes_manifest.external_secret]
  lifecycle {
    precondition {
      # The app refuses to start otherwise: it would have no proxy address to believe the header from.
      condition     = var.trust_proxy_auth_header == "" || var.trust_proxy != ""
      error_message = "trust_proxy_auth_header needs trust_proxy (the proxy addresses whose header is believed)."
    }
    precondition {
      condition     = length(local.allowed_hosts) > 0
      error_message = "allowed_hosts must not be empty (null computes the default list)."
    }
    ignore_changes = [
      spec[0].template[0].spec[0].dns_config,                             # Kyverno sets ndots
      spec[0].template[0].spec[0].container[0].image,                     # Keel manages the tag
      spec[0].template[0].metadata[0].annotations["keel.sh/update-time"], # Keel
      metadata[0].annotations["keel.sh/policy"],
      metadata[0].annotations["keel.sh/trigger"],
      metadata[0].annotations["keel.sh/pollSchedule"],
      metadata[0].annotations["keel.sh/match-tag"],
      metadata[0].annotations["kubernetes.io/change-cause"],
      metadata[0].annotations["deployment.kubernetes.io/revision"],
    ]
  }
}

resource "kubernetes_service" "app" {
  metadata {
    name      = var.name
    namespace = kubernetes_namespace.this.metadata[0].name
    labels    = local.app_labels
  }
  spec {
    type     = "ClusterIP"
    selector = local.app_labels
    port {
      name        = "http"
      port        = var.service_port
      target_port = "http"
      protocol    = "TCP"
    }
  }
}
