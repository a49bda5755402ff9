-- /_haproxy_getconfig for the marathon-lb stand-in, as marathon-lb serves
-- it: the config file this worker was started with, read once when the
-- worker starts, so the answer is the config HAProxy loaded, not the file
-- on disk. The file is the argument after -f on HAProxy's command line.
-- `config_file`, `config_dir` and `send_text` are global: the other
-- handlers, loaded after this file into the same Lua state, use them.
function config_file()
  local cmdline = io.open("/proc/self/cmdline", "rb")
  local args = {}
  for arg in cmdline:read("*a"):gmatch("[^%z]+") do
    args[#args + 1] = arg
  end
  cmdline:close()
  for i = 1, #args - 1 do
    if args[i] == "-f" then
      return args[i + 1]
    end
  end
end

function config_dir()
  return (config_file() or ""):match("(.*/)") or "./"
end

function send_text(applet, status, body)
  applet:set_status(status)
  applet:add_header("content-length", string.len(body))
  applet:add_header("content-type", "text/plain")
  applet:start_response()
  applet:send(body)
end

local loaded = ""

core.register_init(function()
  local file = io.open(config_file(), "rb")
  loaded = file:read("*a")
  file:close()
end)

core.register_service("getconfig", "http", function(applet)
  send_text(applet, 200, loaded)
end)
