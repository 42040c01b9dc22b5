# Daily backup at 01:30 (outside the 00:00/08:00/16:00 drop-folder imports): the job asks the app
# for a consistent archive (GET /api/v1/backup over the in-cluster Service) and stores it in a
# dated folder on NFS, deletes folders past the retention, and pushes success metrics to the
# Pushgateway. It never touches the live DuckDB file, so it needs no access to the data volume
# and can run on any node. The logic is backup.mjs (tested by deploy/test/backup-script.test.ts).

locals {
  backup_url   = "http://${local.service_host}:${var.service_port}${var.backup_path}"
  backup_image = coalesce(var.backup_image, var.image)
}

resource "kubernetes_persistent_volume" "backup" {
  metadata {
    name   = var.backup_volume_name
    labels = local.app_labels
  }
  spec {
    capacity = {
      storage = "10Gi" # informational for NFS
    }
    access_modes                     = ["ReadWriteMany"]
    persistent_volume_reclaim_policy = "Retain"
    storage_class_name               = var.nfs_storage_class_name
    volume_mode                      = "Filesystem"
    mount_options                    = var.nfs_mount_options
    persistent_volume_source {
      csi {
        driver        = var.nfs_csi_driver
        volume_handle = var.backup_volume_name
        volume_attributes = {
          server = var.nfs_server
          share  = var.backup_nfs_path
        }
      }
    }
  }
}

resource "kubernetes_persistent_volume_claim" "backup" {
  wait_until_bound = false
  metadata {
    name      = var.backup_volume_name
    namespace = kubernetes_namespace.this.metadata[0].name
    labels    = local.app_labels
  }
  spec {
    access_modes       = ["ReadWriteMany"]
    storage_class_name = var.nfs_storage_class_name
    volume_name        = kubernetes_persistent_volume.backup.metadata[0].name
    resources {
      requests = {
        storage = "10Gi"
      }
    }
  }
}

resource "kubernetes_config_map" "backup_script" {
  metadata {
    name      = "${var.name}-backup-script"
    namespace = kubernetes_namespace.this.metadata[0].name
    labels    = local.app_labels
  }
  data = {
    "backup.mjs" = file("${path.module}/backup.mjs")
  }
}

resource "kubernetes_cron_job_v1" "backup" {
  metadata {
    name      = "${var.name}-backup"
    namespace = kubernetes_namespace.this.metadata[0].name
    labels    = local.app_labels
  }
  spec {
    schedule                      = var.backup_schedule
    concurrency_policy            = "Forbid"
    starting_deadline_seconds     = 600
    successful_jobs_history_limit = 3
    failed_jobs_history_limit     = 3
    job_template {
      metadata {
        labels = { app = "${var.name}-backup" }
      }
      spec {
        backoff_limit           = 2
        active_deadline_seconds = var.backup_timeout_seconds + 300
        template {
          metadata {
            labels = { app = "${var.name}-backup" }
          }
          spec {
            restart_policy                  = "Never"
            automount_service_account_token = false
            enable_service_links            = false
            security_context {
              run_as_non_root = true
              run_as_user     = var.run_as_user
              run_as_group    = var.run_as_group
              fs_group        = var.fs_group
              seccomp_profile {
                type = "RuntimeDefault"
              }
            }
            container {
              name              = "backup"
              image             = local.backup_image
              image_pull_policy = var.image_pull_policy
              command           = ["node", "/opt/backup/backup.mjs"]
              env {
                name  = "BACKUP_URL"
                value = local.backup_url
              }
              env {
                name  = "BACKUP_DIR"
                value = "/backup"
              }
              env {
                name  = "RETENTION_DAYS"
                value = tostring(var.backup_retention_days)
              }
              env {
                name  = "BACKUP_TIMEOUT_SECONDS"
                value = tostring(var.backup_timeout_seconds)
              }
              env {
                name  = "PUSHGATEWAY_URL"
                value = var.pushgateway_url
              }
              env {
                name  = "PUSHGATEWAY_JOB"
                value = var.pushgateway_job
              }
              env {
                name = "BACKUP_TOKEN"
                value_from {
                  secret_key_ref {
                    name     = var.secret_name
                    key      = var.backup_token_key
                    optional = true
                  }
                }
              }
              resources {
                requests = {
                  cpu    = "10m"
                  memory = "64Mi"
                }
                limits = {
                  memory = "128Mi"
                }
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
                name       = "backup"
                mount_path = "/backup"
              }
              volume_mount {
                name       = "script"
                mount_path = "/opt/backup"
                read_only  = true
              }
              volume_mount {
                name       = "tmp"
                mount_path = "/tmp"
              }
            }
            volume {
              name = "backup"
              persistent_volume_claim {
                claim_name = kubernetes_persistent_volume_claim.backup.metadata[0].name
              }
            }
            volume {
              name = "script"
              config_map {
                name         = kubernetes_config_map.backup_script.metadata[0].name
                default_mode = "0444"
              }
            }
            volume {
              name = "tmp"
              empty_dir {
                size_limit = "16Mi"
              }
            }
          }
        }
      }
    }
  }
  lifecycle {
    # Kyverno sets ndots on every pod template.
    ignore_changes = [spec[0].job_template[0].spec[0].template[0].spec[0].dns_config]
  }
}
