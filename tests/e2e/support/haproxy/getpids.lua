-- /_haproxy_getpids for the marathon-lb stand-in: the master's pid and its
-- children (current and still-draining workers), read from /proc without
-- forking. marathon-lb's own getpids.lua runs `pidof haproxy` instead.
core.register_service("getpids", "http", function(applet)
  local pids = {}
  local stat = io.open("/proc/self/stat", "r")
  if stat then
    local line = stat:read("*l")
    stat:close()
    local ppid = line:match("^%d+ %b() %S+ (%d+)")
    pids[#pids + 1] = ppid
    local children = io.open("/proc/" .. ppid .. "/task/" .. ppid .. "/children", "r")
    if children then
      for pid in children:read("*a"):gmatch("%d+") do
        pids[#pids + 1] = pid
      end
      children:close()
    end
  end
  local body = table.concat(pids, " ")
  applet:set_status(200)
  applet:add_header("content-type", "text/plain")
  applet:add_header("content-length", string.len(body))
  applet:start_response()
  applet:send(body)
end)
