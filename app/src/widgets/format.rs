//! How values are shown: labels through the i18n tables, colours by status
//! category, and times in Asia/Shanghai.

use shared::wire::mediation::{CallStatus, CallType, DisputeType, Stage, StatusCategory};

use crate::i18n::*;

pub fn status_label(i18n: I18nContext, status: Option<&CallStatus>) -> String {
    let Some(status) = status else { return t_string!(i18n, status.none).to_string() };
    use CallStatus::*;
    let s = match status {
        Scheduling => t_string!(i18n, status.Scheduling),
        Executing => t_string!(i18n, status.Executing),
        Succeeded => t_string!(i18n, status.Succeeded),
        Paused => t_string!(i18n, status.Paused),
        Failed => t_string!(i18n, status.Failed),
        Cancelled => t_string!(i18n, status.Cancelled),
        Drafted => t_string!(i18n, status.Drafted),
        Draft => t_string!(i18n, status.Draft),
        Completed => t_string!(i18n, status.Completed),
        Initializing => t_string!(i18n, status.Initializing),
        NoAnswer => t_string!(i18n, status.NoAnswer),
        NotExist => t_string!(i18n, status.NotExist),
        Busy => t_string!(i18n, status.Busy),
        NotConnected => t_string!(i18n, status.NotConnected),
        PoweredOff => t_string!(i18n, status.PoweredOff),
        OutOfService => t_string!(i18n, status.OutOfService),
        InArrears => t_string!(i18n, status.InArrears),
        EmptyNumber => t_string!(i18n, status.EmptyNumber),
        PerDayCallCountLimit => t_string!(i18n, status.PerDayCallCountLimit),
        ContactBlockList => t_string!(i18n, status.ContactBlockList),
        Terminated => t_string!(i18n, status.Terminated),
        SucceededFinish => t_string!(i18n, status.SucceededFinish),
        SucceededChatbotHangUp => t_string!(i18n, status.SucceededChatbotHangUp),
        SucceededClientHangUp => t_string!(i18n, status.SucceededClientHangUp),
        SucceededTransferByIntent => t_string!(i18n, status.SucceededTransferByIntent),
        // Unknown values are shown as they came.
        Other(raw) => return raw.clone(),
    };
    s.to_string()
}

/// The label for a status filter value (a status name, or `none`).
pub fn status_value_label(i18n: I18nContext, value: &str) -> String {
    if value == shared::view::board::NO_CALL {
        status_label(i18n, None)
    } else {
        status_label(i18n, Some(&CallStatus::parse(value)))
    }
}

/// CSS class carrying the status colour.
pub fn status_class(status: Option<&CallStatus>) -> &'static str {
    match status.map(CallStatus::category) {
        None => "st st-none",
        Some(StatusCategory::Pending) => "st st-pending",
        Some(StatusCategory::InProgress) => "st st-progress",
        Some(StatusCategory::Connected) => "st st-connected",
        Some(StatusCategory::NotConnected) => "st st-notconnected",
        Some(StatusCategory::Stopped) => "st st-stopped",
        Some(StatusCategory::Unknown) => "st st-unknown",
    }
}

pub fn stage_label(i18n: I18nContext, stage: &Stage) -> String {
    match stage {
        Stage::Accepted => t_string!(i18n, stage.accepted).to_string(),
        Stage::Mediating => t_string!(i18n, stage.mediating).to_string(),
        Stage::Agreement => t_string!(i18n, stage.agreement).to_string(),
        Stage::FollowUp => t_string!(i18n, stage.follow_up).to_string(),
        Stage::Closed => t_string!(i18n, stage.closed).to_string(),
        Stage::Other(s) => s.clone(),
    }
}

pub fn dispute_label(i18n: I18nContext, d: &DisputeType) -> String {
    match d {
        DisputeType::WageArrears => t_string!(i18n, dispute.wage_arrears).to_string(),
        DisputeType::Neighbour => t_string!(i18n, dispute.neighbour).to_string(),
        DisputeType::Consumer => t_string!(i18n, dispute.consumer).to_string(),
        DisputeType::Tenancy => t_string!(i18n, dispute.tenancy).to_string(),
        DisputeType::Other(s) => s.clone(),
    }
}

pub fn call_type_label(i18n: I18nContext, c: &CallType) -> String {
    match c {
        CallType::Agreement => t_string!(i18n, call_type.agreement).to_string(),
        CallType::FollowUp => t_string!(i18n, call_type.follow_up).to_string(),
        CallType::Other(s) => s.clone(),
    }
}

/// Seconds as `m:ss` (or `h:mm:ss`).
pub fn duration(secs: u32) -> String {
    shared::time::duration(secs)
}

/// Milliseconds since the epoch as Asia/Shanghai `yyyy-MM-dd HH:mm:ss`.
pub fn datetime(ms: i64) -> String {
    shared::time::format_shanghai(ms)
}

