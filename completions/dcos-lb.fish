# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_dcos_lb_global_optspecs
    string join \n url= m/marathon= token= ca-file= insecure timeout= auth-credentials= dcos-auth-credentials= color= v/verbose q/quiet h/help V/version
end

function __fish_dcos_lb_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_dcos_lb_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_dcos_lb_using_subcommand
    set -l cmd (__fish_dcos_lb_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -f -a "deploy" -d 'Zero-downtime blue/green deploy of an app through marathon-lb (zdd.py\'s job)'
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -f -a "split" -d 'Canary: split traffic between the current and a new version'
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -f -a "promote" -d 'Finish a split by moving all traffic to the new version'
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -f -a "rollback" -d 'Go back to the previous version, gracefully'
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -f -a "status" -d 'Deployment groups: colours, instances, split and per-LB server state'
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -f -a "render" -d 'Render the HAProxy config marathon-lb would generate'
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -f -a "lint" -d 'Check an app JSON for what would stop a zero-downtime deploy'
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -f -a "app" -d 'Add, show, list, scale and remove Marathon apps'
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -f -a "task" -d 'List and kill tasks'
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -f -a "health" -d 'Check or wait until an app is healthy'
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -f -a "deployment" -d 'List and watch Marathon deployments'
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -f -a "sandbox" -d 'Run a local Marathon and marathon-lb (real HAProxy) until Ctrl-C'
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, or the dcos CLI\'s)'
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -f -a "man" -d 'Print the man page'
complete -c dcos-lb -n "__fish_dcos_lb_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -s j -l json -d 'The app JSON; a bare --json prints NDJSON progress events instead' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -s i -l initial-instances -d 'Instances the new app starts with' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -s n -l new-instances -d 'Hybrid: run N new instances next to target−N old ones' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -l group -d 'The group, when no app JSON is given (with --resume/--complete-*)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -s l -l marathon-lb -d 'marathon-lb URL, e.g. `http://marathon-lb.marathon.mesos:9090`; every IPv4 address of its host is one instance, as zdd.py (repeatable)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -l lb-app -d 'The marathon-lb app whose tasks (port 9090) are the instances, when neither -l nor `lb.marathon_lb_url` is set; works from a laptop' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -s s -l step-delay -d 'Longest wait in seconds between two looks at Marathon (events end it sooner)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -s w -l max-wait -d 'Seconds without progress before stopping (resumable, exit 10)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -l linear-increase -d 'Grow the new app by this many instances per step instead of +50 %' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -l pre-kill-hook -d 'Run before each kill with: old app JSON, task ids JSON, new app JSON' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -l drain-metric -d 'A per-task metrics URL ({host}, {port}) that must read 0 before a kill' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -l drain-metric-gauge -d 'The Prometheus gauge read from --drain-metric' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -l drain-metric-jq -d 'A jq program over --drain-metric\'s JSON body that must give 0' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -l drain-proof -r -f -a "auto\t'`metric` with `--drain-metric`, else `pids` when every marathon-lb runs one HAProxy thread, else `horizon` (`pids` for `mode tcp` backends, which have no horizon without hard-stop-after)'
pids\t'zdd.py\'s `/_haproxy_getpids` check (forks inside HAProxy)'
horizon\t'Wait out the reload horizon from the running config (no fork)'
metric\t'The `--drain-metric` gauge alone (no fork)'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -s r -l resume -d 'Finish the group\'s deployment in progress'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -s c -l complete-cur -d 'Move a hybrid group entirely to the current (new) app'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -s p -l complete-prev -d 'Move a hybrid group entirely back to the previous app'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -l no-lint -d 'Skip `dcos lb lint`\'s checks of the app JSON and of the ports and deployments in Marathon'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -s d -l dry-run -d 'Print the final app JSON and the plan; change nothing'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -s f -l force -d 'Do not ask before creating, killing or deleting'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -l surge -d 'Start every new instance at once, then drain and kill old ones'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -l force-kill-after-max-wait -d 'After --max-wait, kill tasks that still hold sessions instead of stopping'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deploy" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -s n -l new-instances -d 'How many instances run the new version' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -s i -l initial-instances -d 'Instances the new app starts with' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l group -d 'The group, when no app JSON is given' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -s l -l marathon-lb -d 'marathon-lb URL, e.g. `http://marathon-lb.marathon.mesos:9090`; every IPv4 address of its host is one instance, as zdd.py (repeatable)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l lb-app -d 'The marathon-lb app whose tasks (port 9090) are the instances, when neither -l nor `lb.marathon_lb_url` is set; works from a laptop' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -s s -l step-delay -d 'Longest wait in seconds between two looks at Marathon (events end it sooner)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -s w -l max-wait -d 'Seconds without progress before stopping (resumable, exit 10)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l linear-increase -d 'Grow the new app by this many instances per step instead of +50 %' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l pre-kill-hook -d 'Run before each kill with: old app JSON, task ids JSON, new app JSON' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l drain-metric -d 'A per-task metrics URL ({host}, {port}) that must read 0 before a kill' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l drain-metric-gauge -d 'The Prometheus gauge read from --drain-metric' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l drain-metric-jq -d 'A jq program over --drain-metric\'s JSON body that must give 0' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l drain-proof -r -f -a "auto\t'`metric` with `--drain-metric`, else `pids` when every marathon-lb runs one HAProxy thread, else `horizon` (`pids` for `mode tcp` backends, which have no horizon without hard-stop-after)'
pids\t'zdd.py\'s `/_haproxy_getpids` check (forks inside HAProxy)'
horizon\t'Wait out the reload horizon from the running config (no fork)'
metric\t'The `--drain-metric` gauge alone (no fork)'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l steps -d 'A step plan: the new app\'s instances at each step (`1,2,5`) or shares of the target (`20%,50%,100%`, rounded to whole instances); after the last step passes, every instance moves to the new app' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l pause -d 'How long each step is analysed before the next (`30s`, `2m`); with no value, a manual gate: the run ends once the step passes, and `--resume`, `promote` or `rollback` goes on' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l max-error-rate -d 'A step fails when the canary\'s share of 5xx and transport errors is above this' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l max-latency-ratio -d 'A step fails when the canary\'s average response time is more than this many times the stable app\'s' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l max-latency -d 'A step fails when the canary\'s average response time is above this (ms)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l min-requests -d 'Fewer canary requests than this in a step decide nothing (inconclusive: the step waits longer)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l analysis-interval -d 'Time between two looks at marathon-lb\'s counters' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l failure-limit -d 'Failed looks a step tolerates before it fails (Argo\'s failureLimit)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l consecutive-successes -d 'Passing looks in a row a step needs at its end' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l max-inconclusive -d 'How long past its pause a step may stay inconclusive before the plan stops (resumable, exit 10)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l analysis-hook -d 'Your own check at every look of a step, for metrics HAProxy lacks: run with the group, the step (1-based), the new and the old app\'s JSON; exit 0 passes, anything else fails the look' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -s c -l complete-cur -d 'Finish the split: move every instance to the new version (as `promote`)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -s p -l complete-prev -d 'Finish the split: move every instance back to the previous version (as `rollback`)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l no-lint -d 'Skip `dcos lb lint`\'s checks of the app JSON and of the ports and deployments in Marathon'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l json -d 'Print NDJSON progress events on stdout'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -s d -l dry-run -d 'Print the final app JSON and the plan; change nothing'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -s f -l force -d 'Do not ask before creating, killing or deleting'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l surge -d 'Start every new instance at once, then drain and kill old ones'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l force-kill-after-max-wait -d 'After --max-wait, kill tasks that still hold sessions instead of stopping'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l resume -d 'Continue the group\'s step plan (read from its new app\'s labels) at the step it reached'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l no-rollback -d 'On a failed analysis, stop (exit 13) instead of rolling back'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand split" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -s l -l marathon-lb -d 'marathon-lb URL, e.g. `http://marathon-lb.marathon.mesos:9090`; every IPv4 address of its host is one instance, as zdd.py (repeatable)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -l lb-app -d 'The marathon-lb app whose tasks (port 9090) are the instances, when neither -l nor `lb.marathon_lb_url` is set; works from a laptop' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -s s -l step-delay -d 'Longest wait in seconds between two looks at Marathon (events end it sooner)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -s w -l max-wait -d 'Seconds without progress before stopping (resumable, exit 10)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -l linear-increase -d 'Grow the new app by this many instances per step instead of +50 %' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -l pre-kill-hook -d 'Run before each kill with: old app JSON, task ids JSON, new app JSON' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -l drain-metric -d 'A per-task metrics URL ({host}, {port}) that must read 0 before a kill' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -l drain-metric-gauge -d 'The Prometheus gauge read from --drain-metric' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -l drain-metric-jq -d 'A jq program over --drain-metric\'s JSON body that must give 0' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -l drain-proof -r -f -a "auto\t'`metric` with `--drain-metric`, else `pids` when every marathon-lb runs one HAProxy thread, else `horizon` (`pids` for `mode tcp` backends, which have no horizon without hard-stop-after)'
pids\t'zdd.py\'s `/_haproxy_getpids` check (forks inside HAProxy)'
horizon\t'Wait out the reload horizon from the running config (no fork)'
metric\t'The `--drain-metric` gauge alone (no fork)'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -l json -d 'Print NDJSON progress events on stdout'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -s d -l dry-run -d 'Print the final app JSON and the plan; change nothing'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -s f -l force -d 'Do not ask before creating, killing or deleting'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -l surge -d 'Start every new instance at once, then drain and kill old ones'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -l force-kill-after-max-wait -d 'After --max-wait, kill tasks that still hold sessions instead of stopping'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand promote" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -s l -l marathon-lb -d 'marathon-lb URL, e.g. `http://marathon-lb.marathon.mesos:9090`; every IPv4 address of its host is one instance, as zdd.py (repeatable)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -l lb-app -d 'The marathon-lb app whose tasks (port 9090) are the instances, when neither -l nor `lb.marathon_lb_url` is set; works from a laptop' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -s s -l step-delay -d 'Longest wait in seconds between two looks at Marathon (events end it sooner)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -s w -l max-wait -d 'Seconds without progress before stopping (resumable, exit 10)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -l linear-increase -d 'Grow the new app by this many instances per step instead of +50 %' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -l pre-kill-hook -d 'Run before each kill with: old app JSON, task ids JSON, new app JSON' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -l drain-metric -d 'A per-task metrics URL ({host}, {port}) that must read 0 before a kill' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -l drain-metric-gauge -d 'The Prometheus gauge read from --drain-metric' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -l drain-metric-jq -d 'A jq program over --drain-metric\'s JSON body that must give 0' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -l drain-proof -r -f -a "auto\t'`metric` with `--drain-metric`, else `pids` when every marathon-lb runs one HAProxy thread, else `horizon` (`pids` for `mode tcp` backends, which have no horizon without hard-stop-after)'
pids\t'zdd.py\'s `/_haproxy_getpids` check (forks inside HAProxy)'
horizon\t'Wait out the reload horizon from the running config (no fork)'
metric\t'The `--drain-metric` gauge alone (no fork)'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -l json -d 'Print NDJSON progress events on stdout'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -s d -l dry-run -d 'Print the final app JSON and the plan; change nothing'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -s f -l force -d 'Do not ask before creating, killing or deleting'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -l surge -d 'Start every new instance at once, then drain and kill old ones'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -l force-kill-after-max-wait -d 'After --max-wait, kill tasks that still hold sessions instead of stopping'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand rollback" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand status" -s l -l marathon-lb -d 'marathon-lb URL, e.g. `http://marathon-lb.marathon.mesos:9090`; every IPv4 address of its host is one instance, as zdd.py (repeatable)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand status" -l lb-app -d 'The marathon-lb app whose tasks (port 9090) are the instances, when neither -l nor `lb.marathon_lb_url` is set; works from a laptop' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand status" -l count -d 'With --watch: stop after this many prints' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand status" -l jq -d 'Filter the JSON output with a jq program (implies --json), as gh does' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand status" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand status" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand status" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand status" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand status" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand status" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand status" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand status" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand status" -l watch -d 'Print again every 2 seconds until Ctrl-C (with --json: one compact JSON array per line)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand status" -l json -d 'Print JSON instead of a table'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand status" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand status" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand status" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand status" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l apps -d 'A `GET /v2/apps?embed=apps.tasks` body to render instead of the live cluster\'s apps (`-` reads stdin)' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l group -d 'marathon-lb group to render (repeatable; `*` renders every app)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l ssl-certs -d 'Certificates of the :443 frontend, comma-separated' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l haproxy-config -d 'Where marathon-lb\'s config lives on the LB (map file paths follow it)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l min-serv-port-ip-per-task -d 'Low end of auto-assigned service ports for IP-per-task apps' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l max-serv-port-ip-per-task -d 'High end of auto-assigned service ports for IP-per-task apps' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l templates -d 'Directory of template overrides (files named `HAPROXY_<NAME>`)' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l hosts -d 'JSON object of host name → IPv4 address; when given, only these names (and IPv4 literals) resolve. Default: the system resolver' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -s o -l output -d 'Write haproxy.cfg (and the map files) into DIR instead of stdout' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -s l -l marathon-lb -d 'marathon-lb URL, e.g. `http://marathon-lb.marathon.mesos:9090`; every IPv4 address of its host is one instance, as zdd.py (repeatable)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l lb-app -d 'The marathon-lb app whose tasks (port 9090) are the instances, when neither -l nor `lb.marathon_lb_url` is set; works from a laptop' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l haproxy-map -d 'Route vhosts and app ids through map files, as marathon-lb\'s flag'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l dont-bind-http-https -d 'Leave out the :80 and :443 frontends and vhost ACLs'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l group-https-by-vhost -d 'TLS passthrough on :443 with one TLS frontend per vhost'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l strict-mode -d 'Only render services whose HAPROXY_{n}_ENABLED is true'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l health-check -d 'Leave out tasks Marathon does not report healthy'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l validate -d 'Check the result with `haproxy -c` (with stand-in certs, maps and Lua)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l diff -d 'Print a unified diff against the config each marathon-lb instance runs'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l json -d 'Print the files as a JSON object instead of the config text'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand render" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -l drain-metric -d 'The deploy will prove drain with `--drain-metric` (any value: only whether it is given changes the drain proof)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -s l -l marathon-lb -d 'marathon-lb URL, e.g. `http://marathon-lb.marathon.mesos:9090`; every IPv4 address of its host is one instance, as zdd.py (repeatable)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -l lb-app -d 'The marathon-lb app whose tasks (port 9090) are the instances, when neither -l nor `lb.marathon_lb_url` is set; works from a laptop' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -s w -l max-wait -d 'The `--max-wait` of the deploy, in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -l jq -d 'Filter the JSON output with a jq program (implies --json), as gh does' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -l offline -d 'Only the checks that need no cluster'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -l surge -d 'The deploy will run with `--surge`: report the capacity it needs'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -l json -d 'Print JSON instead of a table'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand lint" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and not __fish_seen_subcommand_from add show list scale remove help" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and not __fish_seen_subcommand_from add show list scale remove help" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and not __fish_seen_subcommand_from add show list scale remove help" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and not __fish_seen_subcommand_from add show list scale remove help" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and not __fish_seen_subcommand_from add show list scale remove help" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and not __fish_seen_subcommand_from add show list scale remove help" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and not __fish_seen_subcommand_from add show list scale remove help" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and not __fish_seen_subcommand_from add show list scale remove help" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and not __fish_seen_subcommand_from add show list scale remove help" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and not __fish_seen_subcommand_from add show list scale remove help" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and not __fish_seen_subcommand_from add show list scale remove help" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and not __fish_seen_subcommand_from add show list scale remove help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and not __fish_seen_subcommand_from add show list scale remove help" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and not __fish_seen_subcommand_from add show list scale remove help" -f -a "add" -d 'Create an app from a JSON file (or `-` for stdin)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and not __fish_seen_subcommand_from add show list scale remove help" -f -a "show" -d 'Show an app\'s definition and state as JSON'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and not __fish_seen_subcommand_from add show list scale remove help" -f -a "list" -d 'List apps: ID MEM CPUS TASKS HEALTH DEPLOYMENT WAITING CONTAINER CMD'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and not __fish_seen_subcommand_from add show list scale remove help" -f -a "scale" -d 'Set an app\'s instance count'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and not __fish_seen_subcommand_from add show list scale remove help" -f -a "remove" -d 'Remove an app (asks first; --yes without a terminal)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and not __fish_seen_subcommand_from add show list scale remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from add" -l jq -d 'Filter the JSON output with a jq program (implies --json), as gh does' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from add" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from add" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from add" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from add" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from add" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from add" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from add" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from add" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from add" -l json -d 'Print JSON instead of a table'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from add" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from add" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from show" -l jq -d 'Filter the JSON output with a jq program (implies --json), as gh does' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from show" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from show" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from show" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from show" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from show" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from show" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from show" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from show" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from show" -l json -d 'Print JSON instead of a table'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from show" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from list" -l jq -d 'Filter the JSON output with a jq program (implies --json), as gh does' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from list" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from list" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from list" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from list" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from list" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from list" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from list" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from list" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from list" -l json -d 'Print JSON instead of a table'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from list" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from scale" -l jq -d 'Filter the JSON output with a jq program (implies --json), as gh does' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from scale" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from scale" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from scale" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from scale" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from scale" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from scale" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from scale" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from scale" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from scale" -l force -d 'Override a deployment that holds the app (cancels it)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from scale" -l wait -d 'Wait until the deployment finished (bounded by --timeout, default 600 s)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from scale" -l json -d 'Print JSON instead of a table'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from scale" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from scale" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from scale" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from scale" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from scale" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from remove" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from remove" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from remove" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from remove" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from remove" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from remove" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from remove" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from remove" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from remove" -l force -d 'Override a deployment that holds the app (cancels it)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Do not ask for confirmation'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from remove" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from help" -f -a "add" -d 'Create an app from a JSON file (or `-` for stdin)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show an app\'s definition and state as JSON'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from help" -f -a "list" -d 'List apps: ID MEM CPUS TASKS HEALTH DEPLOYMENT WAITING CONTAINER CMD'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from help" -f -a "scale" -d 'Set an app\'s instance count'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove an app (asks first; --yes without a terminal)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand app; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and not __fish_seen_subcommand_from list kill help" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and not __fish_seen_subcommand_from list kill help" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and not __fish_seen_subcommand_from list kill help" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and not __fish_seen_subcommand_from list kill help" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and not __fish_seen_subcommand_from list kill help" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and not __fish_seen_subcommand_from list kill help" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and not __fish_seen_subcommand_from list kill help" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and not __fish_seen_subcommand_from list kill help" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and not __fish_seen_subcommand_from list kill help" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and not __fish_seen_subcommand_from list kill help" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and not __fish_seen_subcommand_from list kill help" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and not __fish_seen_subcommand_from list kill help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and not __fish_seen_subcommand_from list kill help" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and not __fish_seen_subcommand_from list kill help" -f -a "list" -d 'List tasks (of one app): APP HEALTHY STARTED HOST ID'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and not __fish_seen_subcommand_from list kill help" -f -a "kill" -d 'Kill tasks; with --scale the app shrinks by as many instances'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and not __fish_seen_subcommand_from list kill help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from list" -l jq -d 'Filter the JSON output with a jq program (implies --json), as gh does' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from list" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from list" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from list" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from list" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from list" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from list" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from list" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from list" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from list" -l json -d 'Print JSON instead of a table'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from list" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from kill" -l jq -d 'Filter the JSON output with a jq program (implies --json), as gh does' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from kill" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from kill" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from kill" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from kill" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from kill" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from kill" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from kill" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from kill" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from kill" -l scale -d 'Scale the app down by the number of killed tasks (no replacements)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from kill" -l force -d 'Override a deployment that holds the app (cancels it)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from kill" -s y -l yes -d 'Do not ask for confirmation'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from kill" -l json -d 'Print JSON instead of a table'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from kill" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from kill" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from kill" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from kill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from kill" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "list" -d 'List tasks (of one app): APP HEALTHY STARTED HOST ID'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "kill" -d 'Kill tasks; with --scale the app shrinks by as many instances'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand health" -l filter -d 'A jq program over the app\'s JSON; healthy when its last output is neither false nor null (`jq -e`)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand health" -l interval -d 'Seconds between checks while waiting, when no event arrives' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand health" -l jq -d 'Filter the JSON output with a jq program (implies --json), as gh does' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand health" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand health" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand health" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand health" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand health" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand health" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand health" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand health" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand health" -l no-failing-checks -d 'Only require that no health-check result is failing (Marathon doc\'s `.tasks[].healthCheckResults[] | select(.alive == false)` is empty)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand health" -l wait -d 'Wait until the condition holds'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand health" -l json -d 'Print JSON instead of a table'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand health" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand health" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand health" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand health" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand health" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and not __fish_seen_subcommand_from list watch help" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and not __fish_seen_subcommand_from list watch help" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and not __fish_seen_subcommand_from list watch help" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and not __fish_seen_subcommand_from list watch help" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and not __fish_seen_subcommand_from list watch help" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and not __fish_seen_subcommand_from list watch help" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and not __fish_seen_subcommand_from list watch help" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and not __fish_seen_subcommand_from list watch help" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and not __fish_seen_subcommand_from list watch help" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and not __fish_seen_subcommand_from list watch help" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and not __fish_seen_subcommand_from list watch help" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and not __fish_seen_subcommand_from list watch help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and not __fish_seen_subcommand_from list watch help" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and not __fish_seen_subcommand_from list watch help" -f -a "list" -d 'List deployments (touching one app): APP POD ACTION PROGRESS ID'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and not __fish_seen_subcommand_from list watch help" -f -a "watch" -d 'Wait until a deployment is finished (bounded by --timeout, default 600 s)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and not __fish_seen_subcommand_from list watch help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from list" -l jq -d 'Filter the JSON output with a jq program (implies --json), as gh does' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from list" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from list" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from list" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from list" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from list" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from list" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from list" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from list" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from list" -l json -d 'Print JSON instead of a table'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from list" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from watch" -l interval -d 'Seconds between checks when no event arrives' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from watch" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from watch" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from watch" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from watch" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from watch" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from watch" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from watch" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from watch" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from watch" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from watch" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from watch" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from watch" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from help" -f -a "list" -d 'List deployments (touching one app): APP POD ACTION PROGRESS ID'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from help" -f -a "watch" -d 'Wait until a deployment is finished (bounded by --timeout, default 600 s)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand deployment; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -l lbs -d 'How many marathon-lb instances (each a real HAProxy)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -l ready-file -d 'Write the `export` lines to FILE once the sandbox is ready (for scripts and CI); removed on Ctrl-C' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -l state-dir -d 'Keep the sandbox\'s files here (each marathon-lb\'s HAProxy config and log, each task\'s sandbox with its stdout and stderr; sandbox.env while it runs) and refuse a second sandbox in the same folder; without it nothing is left on disk' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -l dcos-cluster -d 'Also add a cluster entry NAME under the dcos CLI\'s config (never attached; removed on stop), so `DCOS_CLUSTER=NAME dcos lb …` or `dcos cluster attach NAME` reach the sandbox' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -l print-env -d 'Print only the `export` lines on stdout once ready'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -l run-commands -d 'Run each app\'s own `cmd` (`/bin/sh -c`, with PORT0…, HOST, MARATHON_APP_ID…) or `args`, as Marathon would, instead of the built-in task server; apps with a container keep the built-in one'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -f -a "demo" -d 'Deploy v1 of examples/web.json, then under live traffic a blue/green deploy, a split and its promotion, and a bad release rolled back; exits 0 only if no request failed'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and not __fish_seen_subcommand_from demo help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -l port -d 'The service port HAProxy serves the example on (examples/web.json\'s 10080); the blue/green alternate is the next one' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -l jq -d 'Filter the JSON output with a jq program (implies --json), as gh does' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -l json -d 'Print JSON instead of a table'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and __fish_seen_subcommand_from demo" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and __fish_seen_subcommand_from help" -f -a "demo" -d 'Deploy v1 of examples/web.json, then under live traffic a blue/green deploy, a split and its promotion, and a bad release rolled back; exits 0 only if no request failed'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand sandbox; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand completions" -l write -d 'Write every completion script and the man page into DIR instead' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand completions" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand completions" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand completions" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand completions" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand completions" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand completions" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand completions" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand completions" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand completions" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand completions" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand completions" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand completions" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand man" -l url -d 'DC/OS cluster URL (default: the dcos CLI\'s current cluster)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand man" -s m -l marathon -d 'Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py\'s -m)' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand man" -l token -d 'DC/OS ACS token (default: the dcos CLI\'s). Never printed' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand man" -l ca-file -d 'CA bundle (PEM) to verify the cluster\'s TLS certificate' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand man" -l timeout -d 'Request timeout in seconds' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand man" -l auth-credentials -d 'HTTP basic credentials for a bare Marathon, as marathon-lb\'s flag' -r
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand man" -l dcos-auth-credentials -d 'Service-account credential file (marathon-lb\'s format); also DCOS_SERVICE_ACCOUNT_CREDENTIAL' -r -F
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand man" -l color -d 'When to color output' -r -f -a "auto\t'Color when the stream is a terminal and NO_COLOR is unset'
always\t'Always color'
never\t'Never color'"
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand man" -l insecure -d 'Do not verify TLS certificates'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand man" -s v -l verbose -d 'More detail on stderr (-v, -vv)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand man" -s q -l quiet -d 'Only errors on stderr'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand man" -s V -l version -d 'Print version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and not __fish_seen_subcommand_from deploy split promote rollback status render lint app task health deployment sandbox completions man help" -f -a "deploy" -d 'Zero-downtime blue/green deploy of an app through marathon-lb (zdd.py\'s job)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and not __fish_seen_subcommand_from deploy split promote rollback status render lint app task health deployment sandbox completions man help" -f -a "split" -d 'Canary: split traffic between the current and a new version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and not __fish_seen_subcommand_from deploy split promote rollback status render lint app task health deployment sandbox completions man help" -f -a "promote" -d 'Finish a split by moving all traffic to the new version'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and not __fish_seen_subcommand_from deploy split promote rollback status render lint app task health deployment sandbox completions man help" -f -a "rollback" -d 'Go back to the previous version, gracefully'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and not __fish_seen_subcommand_from deploy split promote rollback status render lint app task health deployment sandbox completions man help" -f -a "status" -d 'Deployment groups: colours, instances, split and per-LB server state'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and not __fish_seen_subcommand_from deploy split promote rollback status render lint app task health deployment sandbox completions man help" -f -a "render" -d 'Render the HAProxy config marathon-lb would generate'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and not __fish_seen_subcommand_from deploy split promote rollback status render lint app task health deployment sandbox completions man help" -f -a "lint" -d 'Check an app JSON for what would stop a zero-downtime deploy'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and not __fish_seen_subcommand_from deploy split promote rollback status render lint app task health deployment sandbox completions man help" -f -a "app" -d 'Add, show, list, scale and remove Marathon apps'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and not __fish_seen_subcommand_from deploy split promote rollback status render lint app task health deployment sandbox completions man help" -f -a "task" -d 'List and kill tasks'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and not __fish_seen_subcommand_from deploy split promote rollback status render lint app task health deployment sandbox completions man help" -f -a "health" -d 'Check or wait until an app is healthy'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and not __fish_seen_subcommand_from deploy split promote rollback status render lint app task health deployment sandbox completions man help" -f -a "deployment" -d 'List and watch Marathon deployments'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and not __fish_seen_subcommand_from deploy split promote rollback status render lint app task health deployment sandbox completions man help" -f -a "sandbox" -d 'Run a local Marathon and marathon-lb (real HAProxy) until Ctrl-C'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and not __fish_seen_subcommand_from deploy split promote rollback status render lint app task health deployment sandbox completions man help" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, or the dcos CLI\'s)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and not __fish_seen_subcommand_from deploy split promote rollback status render lint app task health deployment sandbox completions man help" -f -a "man" -d 'Print the man page'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and not __fish_seen_subcommand_from deploy split promote rollback status render lint app task health deployment sandbox completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and __fish_seen_subcommand_from app" -f -a "add" -d 'Create an app from a JSON file (or `-` for stdin)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and __fish_seen_subcommand_from app" -f -a "show" -d 'Show an app\'s definition and state as JSON'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and __fish_seen_subcommand_from app" -f -a "list" -d 'List apps: ID MEM CPUS TASKS HEALTH DEPLOYMENT WAITING CONTAINER CMD'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and __fish_seen_subcommand_from app" -f -a "scale" -d 'Set an app\'s instance count'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and __fish_seen_subcommand_from app" -f -a "remove" -d 'Remove an app (asks first; --yes without a terminal)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "list" -d 'List tasks (of one app): APP HEALTHY STARTED HOST ID'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "kill" -d 'Kill tasks; with --scale the app shrinks by as many instances'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and __fish_seen_subcommand_from deployment" -f -a "list" -d 'List deployments (touching one app): APP POD ACTION PROGRESS ID'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and __fish_seen_subcommand_from deployment" -f -a "watch" -d 'Wait until a deployment is finished (bounded by --timeout, default 600 s)'
complete -c dcos-lb -n "__fish_dcos_lb_using_subcommand help; and __fish_seen_subcommand_from sandbox" -f -a "demo" -d 'Deploy v1 of examples/web.json, then under live traffic a blue/green deploy, a split and its promotion, and a bad release rolled back; exits 0 only if no request failed'
