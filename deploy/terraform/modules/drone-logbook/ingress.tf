# https://dronelog.viktorbarzin.me, gated by Authentik forward-auth (Traefik middleware).
# create_ingress = false leaves routing to the cluster's own ingress module (point it at
# outputs service_name / service_port).

locals {
  strip_identity = var.create_ingress && var.strip_client_identity_header && var.trust_proxy_auth_header != ""
  # Traefik names a CRD middleware <namespace>-<name>@kubernetescrd in router.middlewares.
  strip_identity_ref = "${var.namespace}-${var.name}-strip-identity@kubernetescrd"
  # Applied in this order: the client's copy of the identity header is deleted, then Authentik's forward-auth
  # (ingress_middlewares) lets the request through and sets the header from its own answer.
  router_middlewares = local.strip_identity ? "${local.strip_identity_ref},${var.ingress_middlewares}" : var.ingress_middlewares
  auth_annotations = {
    "traefik.ingress.kubernetes.io/router.middlewares" = local.router_middlewares
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

# Deletes a client-sent identity header (trust_proxy_auth_header) before forward-auth runs. Authentik's
# forward-auth middleware already replaces the headers it lists in authResponseHeaders; this keeps the header
# unforgeable even if that list ever loses it (the header then simply never reaches the app).
resource "kubernetes_manifest" "strip_identity" {
  count = local.strip_identity ? 1 : 0
  manifest = {
    apiVersion = var.traefik_api_version
    kind       = "Middleware"
    metadata = {
      name      = "${var.name}-strip-identity"
      namespace = kubernetes_namespace.this.metadata[0].name
      labels    = local.app_labels
    }
    spec = {
      headers = {
        customRequestHeaders = {
          (var.trust_proxy_auth_header) = "" # an empty value deletes the header
        }
      }
    }
  }
}

resource "kubernetes_ingress_v1" "app" {
  count = var.create_ingress ? 1 : 0
  # Traefik turns a router whose middleware is missing off (404), so create the middleware first.
  depends_on = [kubernetes_manifest.strip_identity]
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
