-- polyfleet.io/NodePool: Suspended while spec.paused or spec.dryRun (nothing is created or
-- deleted), Progressing until the controller has observed this generation, Degraded with the
-- message of the first failing condition (InvalidSpec, RemediationPaused, BudgetExceeded,
-- Degraded), Progressing while scaling, replacing or waiting for Machines (Progressing, or Ready
-- False), Healthy when Ready. Conditions are metav1.Conditions; status.observedGeneration is the
-- generation they were computed from. Uses only the base library (Argo CD opens no other).
local hs = {}

local function condition(type)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local spec = obj.spec or {}
local generation = obj.metadata.generation
local observed = obj.status ~= nil and obj.status.observedGeneration or nil
local current = observed ~= nil and (generation == nil or observed >= generation)
local progressing = condition("Progressing")

if spec.paused == true then
  hs.status = "Suspended"
  hs.message = "spec.paused: no Machine is created or deleted"
  if current and progressing ~= nil and progressing.reason == "Paused" then
    hs.message = progressing.message
  end
  return hs
end

if spec.dryRun == true then
  hs.status = "Suspended"
  hs.message = "spec.dryRun: status.plan shows where the nodes would go; nothing is created"
  if current and progressing ~= nil and progressing.reason == "DryRun" then
    hs.message = progressing.message
  end
  return hs
end

if observed == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the NodePool controller to report status"
  return hs
end
if not current then
  hs.status = "Progressing"
  hs.message = "Waiting for the NodePool controller to observe generation " .. generation .. " (status is of generation " .. observed .. ")"
  return hs
end

for _, type in ipairs({ "InvalidSpec", "RemediationPaused", "BudgetExceeded", "Degraded" }) do
  local c = condition(type)
  if c ~= nil and c.status == "True" then
    hs.status = "Degraded"
    hs.message = c.message
    return hs
  end
end

if progressing ~= nil and progressing.status == "True" then
  hs.status = "Progressing"
  hs.message = progressing.message
  return hs
end

local ready = condition("Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message
  return hs
end
if ready ~= nil then
  hs.status = "Progressing"
  hs.message = ready.message
  return hs
end

hs.status = "Progressing"
hs.message = "Waiting for the NodePool's Ready condition"
return hs
