# shellcheck shell=bash
# Completion of `dcos lb` for the DC/OS CLI 1.x, sourced by `dcos <TAB>` from
# <plugin env>/completion/bash/. GENERATED from dcos-lb's clap definition; do not edit.
# Refresh with: cargo run --locked -- completions --write completions/

_dcos_lb() {
    local i="" command=""

    if ! __dcos_default_command_parse; then
        return
    fi

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--help"
        "--info"
        "--insecure"
        "--marathon="
        "--quiet"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
    )
    local commands=(
        "app"
        "completions"
        "deploy"
        "deployment"
        "health"
        "lint"
        "man"
        "promote"
        "render"
        "rollback"
        "sandbox"
        "split"
        "status"
        "task"
    )

    if [ -z "$command" ]; then
        case "$cur" in
            --*=*) ;;
            --*) __dcos_handle_compreply "${flags[@]}" ;;
            *) __dcos_handle_compreply "${commands[@]}" ;;
        esac
        return
    fi

    __dcos_handle_subcommand
}

_dcos_lb_deploy() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--complete-cur"
        "--complete-prev"
        "--dcos-auth-credentials="
        "--drain-metric-gauge="
        "--drain-metric-jq="
        "--drain-metric="
        "--drain-proof="
        "--dry-run"
        "--force"
        "--force-kill-after-max-wait"
        "--group="
        "--help"
        "--initial-instances="
        "--insecure"
        "--json="
        "--lb-app="
        "--linear-increase="
        "--marathon-lb="
        "--marathon="
        "--max-wait="
        "--new-instances="
        "--no-lint"
        "--pre-kill-hook="
        "--quiet"
        "--resume"
        "--step-delay="
        "--surge"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}

_dcos_lb_split() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--analysis-hook="
        "--analysis-interval="
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--complete-cur"
        "--complete-prev"
        "--consecutive-successes="
        "--dcos-auth-credentials="
        "--drain-metric-gauge="
        "--drain-metric-jq="
        "--drain-metric="
        "--drain-proof="
        "--dry-run"
        "--failure-limit="
        "--force"
        "--force-kill-after-max-wait"
        "--group="
        "--help"
        "--initial-instances="
        "--insecure"
        "--json"
        "--lb-app="
        "--linear-increase="
        "--marathon-lb="
        "--marathon="
        "--max-error-rate="
        "--max-inconclusive="
        "--max-latency-ratio="
        "--max-latency="
        "--max-wait="
        "--min-requests="
        "--new-instances="
        "--no-lint"
        "--no-rollback"
        "--pause="
        "--pre-kill-hook="
        "--quiet"
        "--resume"
        "--step-delay="
        "--steps="
        "--surge"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}

_dcos_lb_promote() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--drain-metric-gauge="
        "--drain-metric-jq="
        "--drain-metric="
        "--drain-proof="
        "--dry-run"
        "--force"
        "--force-kill-after-max-wait"
        "--help"
        "--insecure"
        "--json"
        "--lb-app="
        "--linear-increase="
        "--marathon-lb="
        "--marathon="
        "--max-wait="
        "--pre-kill-hook="
        "--quiet"
        "--step-delay="
        "--surge"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}

_dcos_lb_rollback() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--drain-metric-gauge="
        "--drain-metric-jq="
        "--drain-metric="
        "--drain-proof="
        "--dry-run"
        "--force"
        "--force-kill-after-max-wait"
        "--help"
        "--insecure"
        "--json"
        "--lb-app="
        "--linear-increase="
        "--marathon-lb="
        "--marathon="
        "--max-wait="
        "--pre-kill-hook="
        "--quiet"
        "--step-delay="
        "--surge"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}

_dcos_lb_status() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--count="
        "--dcos-auth-credentials="
        "--help"
        "--insecure"
        "--jq="
        "--json"
        "--lb-app="
        "--marathon-lb="
        "--marathon="
        "--quiet"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
        "--watch"
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}

_dcos_lb_render() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--apps="
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--diff"
        "--dont-bind-http-https"
        "--group-https-by-vhost"
        "--group="
        "--haproxy-config="
        "--haproxy-map"
        "--health-check"
        "--help"
        "--hosts="
        "--insecure"
        "--json"
        "--lb-app="
        "--marathon-lb="
        "--marathon="
        "--max-serv-port-ip-per-task="
        "--min-serv-port-ip-per-task="
        "--output="
        "--quiet"
        "--ssl-certs="
        "--strict-mode"
        "--templates="
        "--timeout="
        "--token="
        "--url="
        "--validate"
        "--verbose"
        "--version"
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}

_dcos_lb_lint() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--drain-metric="
        "--help"
        "--insecure"
        "--jq="
        "--json"
        "--lb-app="
        "--marathon-lb="
        "--marathon="
        "--max-wait="
        "--offline"
        "--quiet"
        "--surge"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}

_dcos_lb_app() {
    local i="" command=""

    if ! __dcos_default_command_parse; then
        return
    fi

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--help"
        "--insecure"
        "--marathon="
        "--quiet"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
    )
    local commands=(
        "add"
        "list"
        "remove"
        "scale"
        "show"
    )

    if [ -z "$command" ]; then
        case "$cur" in
            --*=*) ;;
            --*) __dcos_handle_compreply "${flags[@]}" ;;
            *) __dcos_handle_compreply "${commands[@]}" ;;
        esac
        return
    fi

    __dcos_handle_subcommand
}

_dcos_lb_app_add() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--help"
        "--insecure"
        "--jq="
        "--json"
        "--marathon="
        "--quiet"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}

_dcos_lb_app_show() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--help"
        "--insecure"
        "--jq="
        "--json"
        "--marathon="
        "--quiet"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}

_dcos_lb_app_list() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--help"
        "--insecure"
        "--jq="
        "--json"
        "--marathon="
        "--quiet"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}

_dcos_lb_app_scale() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--force"
        "--help"
        "--insecure"
        "--jq="
        "--json"
        "--marathon="
        "--quiet"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
        "--wait"
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}

_dcos_lb_app_remove() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--force"
        "--help"
        "--insecure"
        "--marathon="
        "--quiet"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
        "--yes"
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}

_dcos_lb_task() {
    local i="" command=""

    if ! __dcos_default_command_parse; then
        return
    fi

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--help"
        "--insecure"
        "--marathon="
        "--quiet"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
    )
    local commands=(
        "kill"
        "list"
    )

    if [ -z "$command" ]; then
        case "$cur" in
            --*=*) ;;
            --*) __dcos_handle_compreply "${flags[@]}" ;;
            *) __dcos_handle_compreply "${commands[@]}" ;;
        esac
        return
    fi

    __dcos_handle_subcommand
}

_dcos_lb_task_list() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--help"
        "--insecure"
        "--jq="
        "--json"
        "--marathon="
        "--quiet"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}

_dcos_lb_task_kill() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--force"
        "--help"
        "--insecure"
        "--jq="
        "--json"
        "--marathon="
        "--quiet"
        "--scale"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
        "--yes"
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}

_dcos_lb_health() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--filter="
        "--help"
        "--insecure"
        "--interval="
        "--jq="
        "--json"
        "--marathon="
        "--no-failing-checks"
        "--quiet"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
        "--wait"
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}

_dcos_lb_deployment() {
    local i="" command=""

    if ! __dcos_default_command_parse; then
        return
    fi

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--help"
        "--insecure"
        "--marathon="
        "--quiet"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
    )
    local commands=(
        "list"
        "watch"
    )

    if [ -z "$command" ]; then
        case "$cur" in
            --*=*) ;;
            --*) __dcos_handle_compreply "${flags[@]}" ;;
            *) __dcos_handle_compreply "${commands[@]}" ;;
        esac
        return
    fi

    __dcos_handle_subcommand
}

_dcos_lb_deployment_list() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--help"
        "--insecure"
        "--jq="
        "--json"
        "--marathon="
        "--quiet"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}

_dcos_lb_deployment_watch() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--help"
        "--insecure"
        "--interval="
        "--marathon="
        "--quiet"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}

_dcos_lb_sandbox() {
    local i="" command=""

    if ! __dcos_default_command_parse; then
        return
    fi

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--dcos-cluster="
        "--help"
        "--insecure"
        "--lbs="
        "--marathon="
        "--print-env"
        "--quiet"
        "--ready-file="
        "--run-commands"
        "--state-dir="
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
    )
    local commands=(
        "demo"
    )

    if [ -z "$command" ]; then
        case "$cur" in
            --*=*) ;;
            --*) __dcos_handle_compreply "${flags[@]}" ;;
            *) __dcos_handle_compreply "${commands[@]}" ;;
        esac
        return
    fi

    __dcos_handle_subcommand
}

_dcos_lb_sandbox_demo() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--help"
        "--insecure"
        "--jq="
        "--json"
        "--marathon="
        "--port="
        "--quiet"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}

_dcos_lb_completions() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--help"
        "--insecure"
        "--marathon="
        "--quiet"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
        "--write="
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}

_dcos_lb_man() {
    local i="" command=""

    while [ "$c" -lt "$cword" ]; do
        if ! __dcos_default_command_parse; then
            return
        fi
    done

    local flags=(
        "--auth-credentials="
        "--ca-file="
        "--color="
        "--dcos-auth-credentials="
        "--help"
        "--insecure"
        "--marathon="
        "--quiet"
        "--timeout="
        "--token="
        "--url="
        "--verbose"
        "--version"
    )

    case "$cur" in
        --*=*) ;;
        --*) __dcos_handle_compreply "${flags[@]}" ;;
    esac
}
