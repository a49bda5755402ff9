-- /_haproxy_getconfig for the marathon-lb stand-in, as marathon-lb serves
-- it: the config file this worker was started with, read once when the
-- worker starts, so the answer is the config HAProxy loaded, not the file
-- on disk. The file is the argument after -f on HAProxy's command line.
local loaded = ""

core.register_init(function()
  local cmdline = io.open("/proc/self/cmdline", "rb")
  local args = {}
  for arg in cmdline:read("*a"):gmatch("[^%z]+") do
    args[#args + 1] = arg
  end
  cmdline:close()
  for i = 1, #args - 1 do
    if args[i] == "-f" then
      local file = io.open(args[i + 1], "rb")
      loaded = file:read("*a")
      file:close()
      break
    end
  end
end)

core.register_service("getconfig", "http", function(applet)
  applet:set_status(200)
  applet:add_header("content-type", "text/plain")
  applet:add_header("content-length", string.len(loaded))
  applet:start_response()
  applet:send(loaded)
end)
