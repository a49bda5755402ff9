-- /_haproxy_getvhostmap and /_haproxy_getappmap for the marathon-lb
-- stand-in, as marathon-lb serves them: the map file next to the config
-- given with -f, read from disk at each request (so unlike getconfig it is
-- the newest file, not the loaded one), or an empty body when there is none.
-- `config_dir` and `send_text` come from getconfig.lua.
local function serve_file(applet, name)
  local body = ""
  local file = io.open(config_dir() .. name, "rb")
  if file then
    body = file:read("*a")
    file:close()
  end
  send_text(applet, 200, body)
end

core.register_service("getvhostmap", "http", function(applet)
  serve_file(applet, "domain2backend.map")
end)

core.register_service("getappmap", "http", function(applet)
  serve_file(applet, "app2backend.map")
end)
