-- argoproj.io/Application, for app-of-apps sync waves (examples/gitops/argocd): Argo CD dropped
-- its built-in Application health in 1.8, so a parent Application that syncs child Applications
-- in waves would apply the next wave without waiting for the earlier one (polyfleet's pools
-- before its CRDs exist). With this check an Application is as healthy as it reports itself in
-- status.health, and Progressing until it reports. Uses only the base library.
local hs = {}
if obj.status ~= nil and obj.status.health ~= nil and obj.status.health.status ~= nil then
  hs.status = obj.status.health.status
  if obj.status.health.message ~= nil then
    hs.message = obj.status.health.message
  end
  return hs
end
hs.status = "Progressing"
hs.message = "Waiting for the Application to report its health"
return hs
