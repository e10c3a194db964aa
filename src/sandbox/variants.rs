//! Drift variants: documented, one-at-a-time changes of the replicated UI used
//! to prove that runbooks notice when a vendor changes a screen. Knows names and
//! descriptions only; the pages ask [`Variant`] what to render.

/// A documented UI change the sandbox can serve instead of the default screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VariantInfo {
    /// Name given to `--variant`.
    pub name: &'static str,
    /// What changes, in the words a runbook author would use.
    pub description: &'static str,
    /// Runbooks (`provider/flow`) and the step wording the change breaks or slows.
    pub affects: &'static [&'static str],
}

/// The variants the pages know how to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Variant {
    RenamedInvite,
    MovedInvite,
    RemovedLastName,
    RelabelledEmail,
    DuplicatedSend,
    SlowUsers,
    RenamedQboDelete,
    RewordedAddUser,
    SwappedSend,
    DuplicatedRowDelete,
    RestyledInvite,
}

const ALL: [(Variant, VariantInfo); 11] = [
    (
        Variant::RenamedInvite,
        VariantInfo {
            name: "renamed-invite",
            description: "Xero Users page: the button \"Invite a user\" is labelled \"Invite user\"",
            affects: &["xero/invite_user: click \"Invite a user\""],
        },
    ),
    (
        Variant::MovedInvite,
        VariantInfo {
            name: "moved-invite",
            description: "Xero Users page: \"Invite a user\" moves into a \"More\" menu button that must be clicked first",
            affects: &["xero/invite_user: click \"Invite a user\""],
        },
    ),
    (
        Variant::RemovedLastName,
        VariantInfo {
            name: "removed-last-name",
            description: "Xero invite form: the \"Last name\" field is removed",
            affects: &["xero/invite_user: fill \"Last name\""],
        },
    ),
    (
        Variant::RelabelledEmail,
        VariantInfo {
            name: "relabelled-email",
            description: "Xero invite form: the \"Email\" label reads \"Email address\"",
            affects: &["xero/invite_user: fill \"Email\""],
        },
    ),
    (
        Variant::DuplicatedSend,
        VariantInfo {
            name: "duplicated-send",
            description: "Xero invite form: a second \"Send invite\" button at the top of the form",
            affects: &["xero/invite_user: click \"Send invite\" (ambiguous)"],
        },
    ),
    (
        Variant::SlowUsers,
        VariantInfo {
            name: "slow-users",
            description: "Xero Users page: the users table renders after 3 s instead of ~0.5 s (delay only; must still pass with the default 10 s timeout)",
            affects: &[
                "xero/invite_user: expect the new row",
                "xero/remove_user: click the user's name",
                "xero/add_support: expect \"Xero Support\"",
            ],
        },
    ),
    (
        Variant::RenamedQboDelete,
        VariantInfo {
            name: "renamed-qbo-delete",
            description: "QBO Manage users: the row button \"Delete\" reads \"Remove access\"",
            affects: &["qbo/remove_user: click \"Delete\" within the user's row"],
        },
    ),
    (
        Variant::RewordedAddUser,
        VariantInfo {
            name: "reworded-add-user",
            description: "QBO Manage users: the button \"Add user\" reads \"New\" (no word in common)",
            affects: &["qbo/add_user: click \"Add user\""],
        },
    ),
    (
        Variant::SwappedSend,
        VariantInfo {
            name: "swapped-send",
            description: "Xero invite form: \"Send invite\" reads \"Continue\" and trades places with its neighbour \"Cancel\"",
            affects: &["xero/invite_user: click \"Send invite\""],
        },
    ),
    (
        Variant::DuplicatedRowDelete,
        VariantInfo {
            name: "duplicated-row-delete",
            description: "QBO Manage users: 50 rows, and a \"Notes\" column before \"Action\" whose \"Delete\" button deletes the row's note, not the user",
            affects: &["qbo/remove_user: click \"Delete\" within the user's row (ambiguous)"],
        },
    ),
    (
        Variant::RestyledInvite,
        VariantInfo {
            name: "restyled-invite",
            description: "Xero Users page: \"Invite a user\" becomes a secondary (white) button left of \"Add Xero support\"; names and roles unchanged (layout and colour only: only `run --compare` notices)",
            affects: &["xero/invite_user: the Users page's screenshot (click \"Users\")"],
        },
    ),
];

static INFOS: [VariantInfo; 11] = [
    ALL[0].1, ALL[1].1, ALL[2].1, ALL[3].1, ALL[4].1, ALL[5].1, ALL[6].1, ALL[7].1, ALL[8].1,
    ALL[9].1, ALL[10].1,
];

/// Every drift variant the sandbox can serve, in documentation order.
pub fn variants() -> &'static [VariantInfo] {
    &INFOS
}

impl Variant {
    /// The variant with this name, if any.
    pub(crate) fn by_name(name: &str) -> Option<Variant> {
        ALL.iter().find(|(_, i)| i.name == name).map(|(v, _)| *v)
    }

    /// The documented name of this variant.
    pub(crate) fn name(self) -> &'static str {
        ALL.iter()
            .find(|(v, _)| *v == self)
            .map_or("", |(_, i)| i.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_round_trips_through_its_name() {
        for info in variants() {
            let v = Variant::by_name(info.name);
            assert!(v.is_some(), "{}", info.name);
            assert_eq!(v.map(Variant::name), Some(info.name));
        }
        assert_eq!(Variant::by_name("nope"), None);
    }
}
