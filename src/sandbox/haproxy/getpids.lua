-- /_haproxy_getpids for the marathon-lb stand-in. Like marathon-lb's own
-- handler it runs `pidof haproxy` through `io.popen`: a fork from inside
-- the serving worker, which is what makes the endpoint hazardous on a
-- multi-threaded worker. The tests run several HAProxy instances side by
-- side, so the answer keeps only this stand-in's master and its children
-- (read from /proc, without another fork), in `pidof`'s order. Each call
-- is counted in `getpids.calls` next to the config, for the tests.
-- `config_dir` and `send_text` come from getconfig.lua (looked up when a
-- request comes).
local function master_pid()
  local stat = io.open("/proc/self/stat", "r")
  local line = stat:read("*l")
  stat:close()
  return line:match("^%d+ %b() %S+ (%d+)")
end

local function own_pids()
  local master = master_pid()
  local own = { [master] = true }
  local children = io.open("/proc/" .. master .. "/task/" .. master .. "/children", "r")
  if children then
    for pid in children:read("*a"):gmatch("%d+") do
      own[pid] = true
    end
    children:close()
  end
  return own
end

core.register_service("getpids", "http", function(applet)
  local calls = io.open(config_dir() .. "getpids.calls", "a")
  calls:write(".")
  calls:close()
  local shell = io.popen("pidof haproxy", "r")
  local all = shell:read("*a")
  shell:close()
  local own = own_pids()
  local pids = {}
  for pid in all:gmatch("%d+") do
    if own[pid] then
      pids[#pids + 1] = pid
    end
  end
  local body = table.concat(pids, " ")
  send_text(applet, 200, body)
end)
