//! HAProxy's stats CSV (`/haproxy?stats;csv`), parsed by header name (pure:
//! no I/O).
//!
//! The column set grows between HAProxy versions (2.x even has a column
//! named `-`), so nothing here relies on a column's position: the header
//! line (`# pxname,svname,…`) names every column and rows are read through
//! it. Servers are later matched to Marathon tasks by the `addr` column
//! (`ip:port`), not by the server name marathon-lb derives from DNS.

use std::collections::HashMap;

/// A stats CSV that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatsError {
    /// The body is empty or its first line is not `# pxname,…`.
    #[error("not an HAProxy stats CSV (the first line must start with \"# pxname\")")]
    NoHeader,
    /// A column we need is absent from the header.
    #[error("the HAProxy stats CSV has no \"{0}\" column")]
    MissingColumn(&'static str),
}

/// One server (or FRONTEND/BACKEND) row, reduced to the columns we use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsRow {
    /// Proxy (backend) name.
    pub pxname: String,
    /// Server name, or `FRONTEND`/`BACKEND`.
    pub svname: String,
    /// `UP`, `DOWN`, `MAINT`, `DRAIN`, `no check`, `UP 1/3`, …
    pub status: String,
    /// Current sessions.
    pub scur: u64,
    /// Queued requests.
    pub qcur: u64,
    /// The server's `ip:port`, when HAProxy reports it.
    pub addr: Option<String>,
}

impl StatsRow {
    /// Whether this row is a server (not the FRONTEND/BACKEND summary).
    pub fn is_server(&self) -> bool {
        self.svname != "FRONTEND" && self.svname != "BACKEND"
    }

    /// Whether HAProxy took the server out of rotation (marathon-lb renders
    /// draining servers `disabled`, which HAProxy reports as `MAINT`).
    pub fn is_maint(&self) -> bool {
        self.status.starts_with("MAINT")
    }

    /// Whether the server is up and receiving new traffic.
    pub fn is_up(&self) -> bool {
        self.status == "UP" || self.status == "no check" || self.status.starts_with("UP ")
    }

    /// Whether the server still has open or queued sessions.
    pub fn has_sessions(&self) -> bool {
        self.scur > 0 || self.qcur > 0
    }
}

/// A stats CSV body read by its header: the column of each name, and the
/// data rows (neither empty nor `#` comments). Fields are read as CSV, not
/// split on commas: HAProxy quotes a field that holds a comma (a check's
/// description, say), and splitting would shift every later column.
struct Csv {
    index: HashMap<String, usize>,
    records: Vec<csv::StringRecord>,
}

impl Csv {
    fn read(body: &str) -> Result<Self, StatsError> {
        let body = body.trim_start_matches(|c: char| c.is_whitespace());
        let body = body.strip_prefix('#').ok_or(StatsError::NoHeader)?;
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(body.as_bytes());
        let header = reader.headers().map_err(|_| StatsError::NoHeader)?;
        let index = header
            .iter()
            .enumerate()
            .map(|(i, n)| (n.to_string(), i))
            .collect();
        let records = reader
            .records()
            .filter_map(Result::ok)
            .filter(|r| {
                r.get(0)
                    .is_some_and(|f| !f.is_empty() && !f.starts_with('#'))
            })
            .collect();
        Ok(Self { index, records })
    }

    fn column(&self, name: &'static str) -> Result<usize, StatsError> {
        self.index
            .get(name)
            .copied()
            .ok_or(StatsError::MissingColumn(name))
    }
}

/// Parses a stats CSV body into the rows the drain reads ([`StatsRow`]).
pub fn parse(body: &str) -> Result<Vec<StatsRow>, StatsError> {
    let csv = Csv::read(body)?;
    let column = |name| csv.column(name);
    let (pxname, svname, status) = (column("pxname")?, column("svname")?, column("status")?);
    let (scur, qcur) = (column("scur")?, column("qcur")?);
    let addr = csv.index.get("addr").copied();
    let rows = csv
        .records
        .iter()
        .map(|record| {
            let field = |i: usize| record.get(i).unwrap_or("");
            let number = |i: usize| field(i).parse::<u64>().unwrap_or(0);
            StatsRow {
                pxname: field(pxname).to_string(),
                svname: field(svname).to_string(),
                status: field(status).to_string(),
                scur: number(scur),
                qcur: number(qcur),
                addr: addr
                    .map(field)
                    .filter(|a| !a.is_empty())
                    .map(str::to_string),
            }
        })
        .collect();
    Ok(rows)
}

/// One server's traffic counters, for the canary analysis. HAProxy keeps
/// them per worker process, so a reload starts them again from zero.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerCounters {
    /// Proxy (backend) name.
    pub pxname: String,
    /// Server name.
    pub svname: String,
    /// The server's `ip:port`, when HAProxy reports it.
    pub addr: Option<String>,
    /// `UP`, `DOWN`, `MAINT`, …
    pub status: String,
    /// The last health check's result (`L7OK`, `L7STS`, `L4CON`, …).
    pub check_status: String,
    /// Responses by class: `hrsp_1xx` … `hrsp_5xx`, then `hrsp_other`.
    pub hrsp: [u64; 6],
    /// Response errors (`eresp`; aborts by the server, `srv_abrt`, are
    /// counted here too).
    pub eresp: u64,
    /// Connection errors (`econ`).
    pub econ: u64,
    /// Times the server was selected (`lbtot`).
    pub lbtot: u64,
    /// Average response time in ms over the last 1024 requests (`rtime`).
    pub rtime_ms: u64,
}

impl ServerCounters {
    /// Every HTTP response (`hrsp_*` summed: `req_tot` has no server rows).
    pub fn responses(&self) -> u64 {
        self.hrsp.iter().sum()
    }
}

/// The server rows' counters of a stats CSV body. Columns an older HAProxy
/// lacks read as 0.
pub fn counters(body: &str) -> Result<Vec<ServerCounters>, StatsError> {
    let csv = Csv::read(body)?;
    for needed in ["pxname", "svname", "status"] {
        csv.column(needed)?;
    }
    let rows = csv
        .records
        .iter()
        .filter_map(|record| {
            let text = |name: &str| {
                csv.index
                    .get(name)
                    .and_then(|i| record.get(*i))
                    .unwrap_or("")
                    .to_string()
            };
            let number = |name: &str| text(name).parse::<u64>().unwrap_or(0);
            let svname = text("svname");
            let pxname = text("pxname");
            if pxname.is_empty() || svname == "FRONTEND" || svname == "BACKEND" {
                return None;
            }
            let addr = Some(text("addr")).filter(|a| !a.is_empty());
            Some(ServerCounters {
                hrsp: [
                    "hrsp_1xx",
                    "hrsp_2xx",
                    "hrsp_3xx",
                    "hrsp_4xx",
                    "hrsp_5xx",
                    "hrsp_other",
                ]
                .map(number),
                eresp: number("eresp"),
                econ: number("econ"),
                lbtot: number("lbtot"),
                rtime_ms: number("rtime"),
                status: text("status"),
                check_status: text("check_status"),
                pxname,
                svname,
                addr,
            })
        })
        .collect();
    Ok(rows)
}

/// The server rows of one backend.
pub fn servers<'a>(rows: &'a [StatsRow], backend: &'a str) -> impl Iterator<Item = &'a StatsRow> {
    rows.iter()
        .filter(move |r| r.pxname == backend && r.is_server())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HAPROXY_26: &str = "\
# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,
stats,FRONTEND,,,1,2,50000,3,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,1,0,2,,,,0,2,0,0,0,0,,1,2,3,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,http,,1,2,3,0,0,0,0,,,0,0,,,,,,,0,,,,,,,,,,,
web_10000,127_0_0_1_41001,0,0,2,3,,9,1,2,,0,,0,0,0,0,MAINT,1,1,0,0,1,3,3,,1,3,1,,9,,2,0,,1,,,,0,9,0,0,0,0,,,,9,0,0,,,,,1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:41001,,http,,,,,,,,0,9,0,,,0,,0,0,0,0,0,0,0,0,1,1,,,,0,,
web_10000,127_0_0_1_41002,1,1,0,3,,9,1,2,,0,,0,0,0,0,UP,1,1,0,0,0,3,0,,1,3,2,,9,,2,0,,1,,,,0,9,0,0,0,0,,,,9,0,0,,,,,1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:41002,,http,,,,,,,,0,9,0,,,0,,0,0,0,0,0,0,0,0,1,1,,,,0,,
web_10000,BACKEND,0,0,2,3,5000,9,1,2,0,0,,0,0,0,0,UP,1,1,0,,0,3,0,,1,3,0,,9,,1,0,,1,,,,0,9,0,0,0,0,,,,9,0,0,0,0,0,0,1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,9,0,0,0,,,0,0,0,0,0,,,,,1,0,,,,,,
";

    #[test]
    fn reads_columns_by_name_even_with_a_dash_column() {
        let rows = parse(HAPROXY_26).unwrap();
        let servers: Vec<_> = servers(&rows, "web_10000").collect();
        assert_eq!(servers.len(), 2);
        assert_eq!(servers[0].status, "MAINT");
        assert_eq!(servers[0].scur, 2);
        assert_eq!(servers[0].addr.as_deref(), Some("127.0.0.1:41001"));
        assert!(servers[0].is_maint() && servers[0].has_sessions());
        assert_eq!(servers[1].qcur, 1);
        assert!(servers[1].is_up() && servers[1].has_sessions());
    }

    #[test]
    fn counters_are_read_by_name_for_server_rows_only() {
        let servers = counters(HAPROXY_26).unwrap();
        let web: Vec<_> = servers.iter().filter(|s| s.pxname == "web_10000").collect();
        assert_eq!(web.len(), 2, "no FRONTEND or BACKEND rows: {servers:?}");
        assert_eq!(web[0].hrsp, [0, 9, 0, 0, 0, 0]);
        assert_eq!(web[0].responses(), 9);
        assert_eq!(web[0].lbtot, 9);
        assert_eq!(web[0].addr.as_deref(), Some("127.0.0.1:41001"));
        assert_eq!(web[0].status, "MAINT");
        let old = counters("# pxname,svname,status,\nweb,s1,UP,\n").unwrap();
        assert_eq!(old[0].responses(), 0, "missing columns read as 0");
    }

    #[test]
    fn old_format_without_addr_still_parses() {
        let body =
            "# pxname,svname,qcur,qmax,scur,status,\nweb,s1,0,0,0,UP,\nweb,BACKEND,0,0,0,UP,\n";
        let rows = parse(body).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].addr, None);
        assert_eq!(servers(&rows, "web").count(), 1);
    }

    #[test]
    fn rejects_bodies_that_are_not_stats() {
        assert_eq!(parse("<html>"), Err(StatsError::NoHeader));
        assert_eq!(parse(""), Err(StatsError::NoHeader));
        assert_eq!(
            parse("# pxname,svname,status\n"),
            Err(StatsError::MissingColumn("scur"))
        );
    }

    #[test]
    fn a_quoted_field_with_commas_does_not_shift_later_columns() {
        let body = "# pxname,svname,qcur,scur,status,check_desc,addr,\n\
                    web,s1,0,3,MAINT,\"Layer4 timeout, check 2 of 3\",10.0.0.7:31005,\n";
        let rows = parse(body).unwrap();
        assert_eq!(rows[0].addr.as_deref(), Some("10.0.0.7:31005"));
        assert_eq!(rows[0].scur, 3);
    }
}
