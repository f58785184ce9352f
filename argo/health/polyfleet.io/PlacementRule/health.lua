-- polyfleet.io/PlacementRule: Progressing until the controller has observed this generation,
-- Degraded when the rule does not compile (InvalidSpec True: an unsupported level or a
-- constraint error) or places nothing (Ready False: the Strategies using it resolve no failure
-- domain), with the condition's message; Healthy when Ready (the message counts the leaf
-- domains). Uses only the base library.
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
  hs.message = "Waiting for the PlacementRule controller to compile the rule"
  return hs
end
if generation ~= nil and observed < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the PlacementRule controller to observe generation " .. generation .. " (status is of generation " .. observed .. ")"
  return hs
end

local invalid = condition("InvalidSpec")
if invalid ~= nil and invalid.status == "True" then
  hs.status = "Degraded"
  hs.message = invalid.message
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
hs.message = "Waiting for the PlacementRule's Ready condition"
return hs
