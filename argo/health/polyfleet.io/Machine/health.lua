-- polyfleet.io/Machine, by status.phase: Pending and Provisioning are Progressing (with the Launched
-- or Ready condition's message), Running is Healthy while Ready is True (Progressing while the
-- cloud briefly cannot find the instance, Ready Unknown), Failed is Degraded with the failure
-- (the pool replaces the Machine), Terminating is Progressing until the instance is gone. A
-- Machine whose Strategy or account cannot be found (ProviderAccountFound False), or whose
-- termination is blocked for want of an account, is Degraded: polyfleet keeps its instance and
-- can neither replace nor terminate it until that is fixed. Uses only the base library.
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

local function messageOf(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return fallback
end

local status = obj.status or {}
local phase = status.phase
local generation = obj.metadata.generation

if phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Machine controller to report status"
  return hs
end
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the Machine controller to observe generation " .. generation
  return hs
end

if phase == "Failed" then
  hs.status = "Degraded"
  hs.message = status.failureMessage or messageOf(condition("Ready"), "the Machine failed")
  if status.failureReason ~= nil then
    hs.message = status.failureReason .. ": " .. hs.message
  end
  return hs
end

if phase == "Terminating" then
  local terminated = condition("InstanceTerminated")
  if terminated ~= nil and terminated.status ~= "True" and terminated.reason == "ProviderAccountNotFound" then
    hs.status = "Degraded"
    hs.message = terminated.message
    return hs
  end
  hs.status = "Progressing"
  hs.message = messageOf(terminated, "terminating the instance")
  return hs
end

local account = condition("ProviderAccountFound")
if account ~= nil and account.status == "False" then
  hs.status = "Degraded"
  hs.message = account.message
  return hs
end

local ready = condition("Ready")
if phase == "Running" then
  if ready ~= nil and ready.status == "True" then
    hs.status = "Healthy"
    hs.message = ready.message
  elseif ready ~= nil and ready.status == "False" then
    hs.status = "Degraded"
    hs.message = ready.message
  else
    hs.status = "Progressing"
    hs.message = messageOf(ready, "waiting for the instance to be confirmed running")
  end
  return hs
end

if phase == "Pending" then
  hs.status = "Progressing"
  hs.message = messageOf(condition("Launched"), "waiting to create the instance")
  return hs
end

if phase == "Provisioning" then
  hs.status = "Progressing"
  hs.message = messageOf(ready, "the instance is starting")
  return hs
end

hs.status = "Unknown"
hs.message = "unknown phase " .. phase
return hs
