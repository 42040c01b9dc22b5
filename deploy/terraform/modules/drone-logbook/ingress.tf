# https://dronelog.viktorbarzin.me, gated by Authentik forward-auth (Traefik middleware).
# create_ingress = false leaves routing to the cluster's own ingress module (point it at
# outputs service_name / service_port).

locals {
  auth_annotations = {
    "traefik.ingress.kubernetes.io/router.middlewares" = var.ingress_middlewares
    "traefik.ingress.kubernetes.io/router.tls"         = "true"
  }
  homepage_annotations = {
    "gethomepage.dev/enabled"      = "true"
    "gethomepage.dev/name"         = var.homepage_name
    "gethomepage.dev/description"  = var.homepage_description
    "gethomepage.dev/group"        = var.homepage_group
    "gethomepage.dev/icon"         = var.homepage_icon
    "gethomepage.dev/href"         = var.homepage_href
    "gethomepage.dev/pod-selector" = ""
  }
  ingress_annotations = merge(
    local.auth_annotations,
    var.uptime_annotations,
    var.homepage_enabled ? local.homepage_annotations : {},
    var.extra_ingress_annotations,
  )
}

resource "kubernetes_ingress_v1" "app" {
  count = var.create_ingress ? 1 : 0
  metadata {
    name        = var.name
    namespace   = kubernetes_namespace.this.metadata[0].name
    labels      = local.app_labels
    annotations = local.ingress_annotations
  }
  spec {
    ingress_class_name = var.ingress_class_name
    tls {
      hosts       = [var.ingress_host]
      secret_name = var.tls_secret_name
    }
    rule {
      host = var.ingress_host
      http {
        path {
          path      = "/"
          path_type = "Prefix"
          backend {
            service {
              name = kubernetes_service.app.metadata[0].name
              port {
                number = var.service_port
              }
            }
          }
        }
      }
    }
  }
}
