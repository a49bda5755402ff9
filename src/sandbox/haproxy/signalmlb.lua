-- /_mlb_signal/hup and /_mlb_signal/usr1 for the marathon-lb stand-in.
-- marathon-lb's handlers fork a shell that signals the marathon_lb.py
-- process; the stand-in has no such process, so the forked shell drops a
-- file next to the config that the stand-in's follower thread takes as the
-- signal (hup: render again from Marathon now; usr1: reload HAProxy with
-- the config it has). The answers are marathon-lb's.
-- `config_dir` and `send_text` come from getconfig.lua.
local function signal(applet, name, signame)
  local shell = io.popen("touch " .. config_dir() .. "signal-" .. name)
  shell:read("*a")
  local ok, _, code = shell:close()
  local status, body = 200, "Sent " .. signame .. " signal to marathon-lb"
  if not ok then
    status = 500
    body = string.format("Failed to send %s signal to marathon-lb (exit code %d). Is marathon-lb running in 'poll' mode?", signame, code or -1)
  end
  send_text(applet, status, body)
end

core.register_service("signalmlbhup", "http", function(applet)
  signal(applet, "hup", "SIGHUP")
end)

core.register_service("signalmlbusr1", "http", function(applet)
  signal(applet, "usr1", "SIGUSR1")
end)
