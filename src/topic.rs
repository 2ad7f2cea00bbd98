//! The eight topic ids of the label contract.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One of the eight topics a content paragraph can carry.
///
/// The serialized names are exactly the ids of the label contract
/// (`neutrality_warning`, …), so output can be scored without mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// Civil servants are urged or instructed to stay neutral.
    NeutralityWarning,
    /// Violators are threatened with, or told about, sanctions.
    SanctionThreat,
    /// The rule that civil servants may attend campaigns only passively.
    PassiveCampaignAttendance,
    /// A specific violation is reported, alleged, counted or investigated.
    ViolationReport,
    /// A signed or declared commitment to neutrality (pakta integritas, ikrar).
    NeutralityPledge,
    /// Civil servants' behaviour on social media.
    SocialMediaConduct,
    /// Leave (cuti) or resignation in order to campaign or run.
    CampaignLeave,
    /// Vote buying and gifts to voters.
    MoneyPolitics,
}

impl Topic {
    /// All topics, in the order of the label contract.
    pub const ALL: [Topic; 8] = [
        Topic::NeutralityWarning,
        Topic::SanctionThreat,
        Topic::PassiveCampaignAttendance,
        Topic::ViolationReport,
        Topic::NeutralityPledge,
        Topic::SocialMediaConduct,
        Topic::CampaignLeave,
        Topic::MoneyPolitics,
    ];

    /// The number of topics.
    pub const COUNT: usize = Self::ALL.len();

    /// The topic's id as written in the label contract and in output.
    pub const fn id(self) -> &'static str {
        match self {
            Topic::NeutralityWarning => "neutrality_warning",
            Topic::SanctionThreat => "sanction_threat",
            Topic::PassiveCampaignAttendance => "passive_campaign_attendance",
            Topic::ViolationReport => "violation_report",
            Topic::NeutralityPledge => "neutrality_pledge",
            Topic::SocialMediaConduct => "social_media_conduct",
            Topic::CampaignLeave => "campaign_leave",
            Topic::MoneyPolitics => "money_politics",
        }
    }

    /// The topic's position in [`Topic::ALL`], for indexing per-topic arrays.
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The error returned when a string is not one of the eight topic ids.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown topic id `{0}` (expected one of: {ids})", ids = Topic::ALL.map(Topic::id).join(", "))]
pub struct UnknownTopic(pub String);

impl FromStr for Topic {
    type Err = UnknownTopic;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Topic::ALL
            .into_iter()
            .find(|t| t.id() == s)
            .ok_or_else(|| UnknownTopic(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_from_str_and_serde() {
        for topic in Topic::ALL {
            assert_eq!(topic.id().parse::<Topic>(), Ok(topic));
            let json = serde_json::to_string(&topic).unwrap();
            assert_eq!(json, format!("\"{}\"", topic.id()));
            assert_eq!(Topic::ALL[topic.index()], topic);
        }
        assert!("neutrality".parse::<Topic>().is_err());
    }
}
