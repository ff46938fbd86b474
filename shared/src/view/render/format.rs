//! How values are shown: the label of each status, stage, dispute and call
//! type in the current locale (unknown values as they came), the colour
//! class of each status category, and times in Asia/Shanghai.

use crate::wire::mediation::{CallStatus, CallType, DisputeType, Stage, StatusCategory};

use super::Strings;

pub fn status_label(t: &Strings, status: Option<&CallStatus>) -> String {
    let Some(status) = status else { return t.status.none.to_owned() };
    let s = &t.status;
    use CallStatus::*;
    let label = match status {
        Scheduling => s.Scheduling,
        Executing => s.Executing,
        Succeeded => s.Succeeded,
        Paused => s.Paused,
        Failed => s.Failed,
        Cancelled => s.Cancelled,
        Drafted => s.Drafted,
        Draft => s.Draft,
        Completed => s.Completed,
        Initializing => s.Initializing,
        NoAnswer => s.NoAnswer,
        NotExist => s.NotExist,
        Busy => s.Busy,
        NotConnected => s.NotConnected,
        PoweredOff => s.PoweredOff,
        OutOfService => s.OutOfService,
        InArrears => s.InArrears,
        EmptyNumber => s.EmptyNumber,
        PerDayCallCountLimit => s.PerDayCallCountLimit,
        ContactBlockList => s.ContactBlockList,
        Terminated => s.Terminated,
        SucceededFinish => s.SucceededFinish,
        SucceededChatbotHangUp => s.SucceededChatbotHangUp,
        SucceededClientHangUp => s.SucceededClientHangUp,
        SucceededTransferByIntent => s.SucceededTransferByIntent,
        Other(raw) => return raw.clone(),
    };
    label.to_owned()
}

/// The label for a status filter value (a status name, or `none`).
pub fn status_value_label(t: &Strings, value: &str) -> String {
    if value == crate::view::board::NO_CALL {
        status_label(t, None)
    } else {
        status_label(t, Some(&CallStatus::parse(value)))
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

pub fn stage_label(t: &Strings, stage: &Stage) -> String {
    let s = &t.stage;
    match stage {
        Stage::Accepted => s.accepted,
        Stage::Mediating => s.mediating,
        Stage::Agreement => s.agreement,
        Stage::FollowUp => s.follow_up,
        Stage::Closed => s.closed,
        Stage::Other(raw) => return raw.clone(),
    }
    .to_owned()
}

pub fn dispute_label(t: &Strings, d: &DisputeType) -> String {
    let s = &t.dispute;
    match d {
        DisputeType::WageArrears => s.wage_arrears,
        DisputeType::Neighbour => s.neighbour,
        DisputeType::Consumer => s.consumer,
        DisputeType::Tenancy => s.tenancy,
        DisputeType::Other(raw) => return raw.clone(),
    }
    .to_owned()
}

pub fn call_type_label(t: &Strings, c: &CallType) -> String {
    match c {
        CallType::Agreement => t.call_type.agreement.to_owned(),
        CallType::FollowUp => t.call_type.follow_up.to_owned(),
        CallType::Other(raw) => raw.clone(),
    }
}

/// Seconds as `m:ss` (or `h:mm:ss`).
pub fn duration(secs: u32) -> String {
    crate::time::duration(secs)
}

/// Milliseconds since the epoch as Asia/Shanghai `yyyy-MM-dd HH:mm:ss`.
pub fn datetime(ms: i64) -> String {
    crate::time::format_shanghai(ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::labels::Locale;

    #[test]
    fn values_are_labelled_in_each_locale_and_unknown_ones_shown_as_they_came() {
        let (zh, en) = (Locale::zh_CN.strings(), Locale::en.strings());
        assert_eq!(status_label(zh, Some(&CallStatus::Succeeded)), "已接通");
        assert_ne!(status_label(en, Some(&CallStatus::Succeeded)), "已接通");
        assert_eq!(status_label(zh, Some(&CallStatus::parse("NewStatus"))), "NewStatus");
        assert_eq!(status_label(zh, None), zh.status.none);
        assert_eq!(status_value_label(zh, crate::view::board::NO_CALL), zh.status.none);
        assert_eq!(stage_label(zh, &Stage::parse("新阶段")), "新阶段");
        assert_eq!(call_type_label(en, &CallType::Agreement), en.call_type.agreement);
        assert_eq!(status_class(Some(&CallStatus::Busy)), "st st-notconnected");
        assert_eq!(status_class(None), "st st-none");
    }

    #[test]
    fn every_documented_status_has_a_label_and_a_colour_in_both_locales() {
        for status in CallStatus::KNOWN {
            let class = status_class(Some(status));
            assert!(class.starts_with("st st-") && !class.contains("unknown"), "{status}");
            assert!(!status_label(Locale::en.strings(), Some(status)).is_empty(), "{status} has no English label");
            assert_ne!(status_label(Locale::zh_CN.strings(), Some(status)), status.as_str(), "{status} has no Chinese label");
        }
        assert_eq!(status_class(Some(&CallStatus::parse("Whatever"))), "st st-unknown");
        assert_eq!((duration(75), duration(3675)), ("1:15".to_owned(), "1:01:15".to_owned()));
    }
}
