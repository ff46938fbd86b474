//! Conversations for calls the sandbox places itself (seeded calls come with
//! their own). Timing follows speech: the robot speaks about four Chinese
//! characters a second, the party answers after a pause.

use shared::wire::mediation::{CallStatus, CallType, Speaker, TurnAction};

use crate::rng::Rng;
use crate::seed::SeedTurn;

/// How a new call will end, decided when it is placed.
#[derive(Clone, Debug)]
pub struct Plan {
    pub outcome: CallStatus,
    pub turns: Vec<SeedTurn>,
    /// What the call changes about the case once it ends.
    pub effect: Effect,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    None,
    /// The party agreed to the draft: the case moves to follow-up.
    AgreementAccepted,
    /// The party confirmed payment: the case is closed.
    PaymentConfirmed,
}

pub struct Context<'a> {
    pub party_name: &'a str,
    pub other_name: &'a str,
    pub amount: Option<&'a str>,
    pub agreement: Option<&'a str>,
}

fn speak(text: &str) -> i64 {
    (text.chars().count() as i64 / 4).max(2)
}

struct Builder {
    turns: Vec<SeedTurn>,
    at: i64,
}

impl Builder {
    fn new() -> Self {
        Self { turns: vec![turn(0, Speaker::Contact, Some(""), TurnAction::BeginDialogue)], at: 1 }
    }

    fn robot(&mut self, text: &str) -> &mut Self {
        self.turns.push(turn(self.at, Speaker::Robot, Some(text), TurnAction::Broadcast));
        self.at += speak(text) + 1;
        self
    }

    fn party(&mut self, text: &str) -> &mut Self {
        self.turns.push(turn(self.at, Speaker::Contact, Some(text), TurnAction::Dialogue));
        self.at += speak(text) + 1;
        self
    }

    fn end(&mut self) -> Vec<SeedTurn> {
        self.turns.push(turn(self.at, Speaker::Contact, None, TurnAction::EndDialogue));
        std::mem::take(&mut self.turns)
    }
}

fn turn(at: i64, speaker: Speaker, script: Option<&str>, action: TurnAction) -> SeedTurn {
    SeedTurn { at, speaker, script: script.map(str::to_owned), action }
}

const NOT_CONNECTED: [&str; 4] = ["NoAnswer", "Busy", "PoweredOff", "NotConnected"];

/// Decides how a call placed now will go.
pub fn plan(rng: &mut Rng, call_type: &CallType, cx: &Context) -> Plan {
    if rng.chance(0.25) {
        return Plan { outcome: CallStatus::parse(*rng.pick(&NOT_CONNECTED[..])), turns: vec![], effect: Effect::None };
    }
    let amount = cx.amount.map(|a| format!("{a}元")).unwrap_or_else(|| "相关款项".to_owned());
    let mut b = Builder::new();
    if rng.chance(0.15) {
        // The party hangs up at once.
        b.robot(&format!("您好,请问是{}吗?我是人民调解委员会的AI调解员。", cx.party_name));
        return Plan { outcome: CallStatus::SucceededClientHangUp, turns: b.end(), effect: Effect::None };
    }
    let effect = match call_type {
        CallType::Agreement => {
            b.robot(&format!(
                "您好,{}。我是人民调解委员会的AI调解员,关于您与{}之间的纠纷,调解协议草案已经拟好,下面为您宣读主要内容。",
                cx.party_name, cx.other_name
            ));
            b.party("好的,你说吧。");
            let draft = cx.agreement.unwrap_or("1. **付款金额**:按双方协商金额一次性支付。\n2. **履行期限**:协议签订后三十日内。");
            b.robot(&format!("{draft}\n\n请问您是否同意以上方案?"));
            if rng.chance(0.6) {
                b.party("同意,就按这个来。");
                b.robot("感谢您的配合。协议将提交司法确认,后续我们会回访履约情况。再见。");
                Effect::AgreementAccepted
            } else {
                b.party(&format!("{amount}这个数我觉得不太合理,能不能分期?"));
                b.robot("您的意见已记录,调解员会与对方进一步协商后再联系您。");
                b.party("行,那等你们消息。");
                Effect::None
            }
        }
        CallType::FollowUp | CallType::Other(_) => {
            b.robot(&format!(
                "您好,{}。我是人民调解委员会的AI调解员,想跟您确认一下调解协议的履行情况,{}是否已经收到?",
                cx.party_name, amount
            ));
            if rng.chance(0.5) {
                b.party("收到了,已经全部到账了。");
                b.robot("好的,感谢您的确认,本案将做结案处理。祝您生活顺利,再见。");
                Effect::PaymentConfirmed
            } else {
                b.party("还没有,对方说下个月再给。");
                b.robot("明白了,我们会联系对方督促履行,如逾期未付可申请法院强制执行。");
                b.party("好,麻烦你们了。");
                b.robot("不客气,再见。");
                Effect::None
            }
        }
    };
    Plan { outcome: CallStatus::Succeeded, turns: b.end(), effect }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_well_formed() {
        let mut rng = Rng::new(7);
        let cx = Context { party_name: "刘树杰", other_name: "胡龙光", amount: Some("3742.00"), agreement: None };
        for i in 0..200 {
            let kind = if i % 2 == 0 { CallType::Agreement } else { CallType::FollowUp };
            let p = plan(&mut rng, &kind, &cx);
            if p.turns.is_empty() {
                assert!(!p.outcome.is_final() || p.outcome.category() == shared::wire::mediation::StatusCategory::NotConnected);
                continue;
            }
            assert_eq!(p.turns[0].action, TurnAction::BeginDialogue);
            assert_eq!(p.turns.last().unwrap().action, TurnAction::EndDialogue);
            assert!(p.turns.windows(2).all(|w| w[0].at <= w[1].at));
        }
    }
}
