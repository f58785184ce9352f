-- polyfleet.io/Strategy: Progressing until the controller has observed this generation, Degraded
-- when no offering passes its filters or no account can be read (NoOfferings True, or Ready
-- False), with the condition's message naming the filter or account; Healthy when Ready (the
-- message counts the offerings and names the best). Uses only the base library.
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

local generation = obj.metadata.generation
local observed = obj.status ~= nil and obj.status.observedGeneration or nil
if observed == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Strategy controller to resolve offerings"
  return hs
end
if generation ~= nil and observed < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the Strategy controller to observe generation " .. generation .. " (status is of generation " .. observed .. ")"
  return hs
end

local none = condition("NoOfferings")
if none ~= nil and none.status == "True" then
  hs.status = "Degraded"
  hs.message = none.message
  return hs
end

local ready = condition("Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message
  return hs
end
if ready ~= nil and ready.status == "False" then
  hs.status = "Degraded"
  hs.message = ready.message
  return hs
end

hs.status = "Progressing"
hs.message = "Waiting for the Strategy's Ready condition"
return hs
