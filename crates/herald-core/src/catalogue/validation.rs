//! The catalogue's validation entry points: look the event (or named
//! schema) up, then hand its compiled program to a [`Validator`].
//!
//! The lookups live here, with the catalogue, so that the validator never
//! depends on it; the one question a validator asks back — which event a
//! templated name stands for — goes through [`EventNames`].

use super::{Catalogue, LookupError};
use crate::limits::Limits;
use crate::validate::{EventNames, NameRule, ValidationReport, Validator};

impl Catalogue {
    /// Prepares validation for the event `name` of `source`. Templated names
    /// resolve (`sms.message.sent`), and the payload's event name must then be
    /// exactly `name`; under the template's own name
    /// (`{channel}.message.sent`) any name that resolves to it is accepted.
    ///
    /// Fails when the source, the event or its schema does not exist.
    pub fn validator<'a>(
        &'a self,
        source: &str,
        name: &'a str,
    ) -> Result<Validator<'a>, LookupError> {
        // An exact name (the common case) takes one table probe; only a
        // name that is no event's goes on to the templates.
        let (event, root, bound, expected) = match self.index.lookup.event(source, name) {
            Some(entry) => (
                self.event_in_slot(entry.slot),
                entry.root,
                false,
                entry.expected.as_ref(),
            ),
            None => {
                let Some((resolved, root)) = self.resolve_with_root(source, name) else {
                    return Err(LookupError::unresolved(self, source, name));
                };
                (resolved.event, root, resolved.binding.is_some(), None)
            }
        };
        let Some(root) = root else {
            return Err(LookupError::NoSchema {
                source_id: event.source.clone(),
                name: event.name.clone(),
            });
        };
        let rule = match (bound, &event.template) {
            (true, _) => NameRule::Exact(name, None),
            (false, Some(_)) => NameRule::Template {
                names: self,
                source: &event.source,
                template: &event.name,
            },
            (false, None) => NameRule::Exact(&event.name, expected),
        };
        Ok(Validator::new(self.program(), root, rule))
    }

    /// Prepares validation against a schema of the document's `schemas`
    /// table, such as a protocol message (`orangepill-subscribe`). With no
    /// event to compare, `event_name` values need only be valid topics.
    pub fn named_validator(&self, schema: &str) -> Result<Validator<'_>, LookupError> {
        let root = self.program().named.get(schema).copied().ok_or_else(|| {
            LookupError::UnknownSchema {
                name: schema.to_owned(),
            }
        })?;
        Ok(Validator::new(self.program(), root, NameRule::AnyTopic))
    }

    /// Validates a payload of the event `name` of `source` with the default
    /// [`Limits`]. Payload problems are items of the report; only an unknown
    /// source, event or schema is an `Err`.
    ///
    /// ```
    /// use herald_core::Catalogue;
    /// let report = Catalogue::builtin().validate(
    ///     "inplayer-notifications",
    ///     "access.revoked",
    ///     br#"{"type":"access.revoked","timestamp":1546609799,"resource":{"item_id":"41224"}}"#,
    /// )?;
    /// assert_eq!(report.errors[0].pointer, "/resource/item_id");
    /// assert_eq!(report.errors[0].code.as_str(), "type_mismatch");
    /// # Ok::<(), herald_core::LookupError>(())
    /// ```
    // Inlined into callers so that a call by name is one call frame
    // (`validate_with_limits`), not two.
    #[inline]
    pub fn validate(
        &self,
        source: &str,
        name: &str,
        payload: &[u8],
    ) -> Result<ValidationReport, LookupError> {
        self.validate_with_limits(source, name, payload, &Limits::DEFAULT)
    }

    /// [`Catalogue::validate`] with explicit limits.
    ///
    /// ```
    /// use herald_core::{Catalogue, Limits};
    /// let limits = Limits { max_depth: 2, ..Limits::default() };
    /// let report = Catalogue::builtin().validate_with_limits(
    ///     "accelbyte-wallet", "walletStatusChanged",
    ///     br#"{"payload": {"data": {}}}"#, &limits,
    /// )?;
    /// assert_eq!(report.errors.last().unwrap().code.as_str(), "too_deep");
    /// assert_eq!(report.errors.last().unwrap().pointer, "/payload/data");
    /// # Ok::<(), herald_core::LookupError>(())
    /// ```
    pub fn validate_with_limits(
        &self,
        source: &str,
        name: &str,
        payload: &[u8],
        limits: &Limits,
    ) -> Result<ValidationReport, LookupError> {
        // The common case, an exact name of an untemplated event with a
        // schema, goes from its one lookup record straight to the walk;
        // everything else (templates, aliases, errors) through `validator`.
        if let Some(entry) = self.index.lookup.event(source, name)
            && let Some(root) = entry.root
            && !entry.templated
        {
            let rule = NameRule::Exact(entry.name(), entry.expected.as_ref());
            return Ok(Validator::new(self.program(), root, rule).validate_within(limits, payload));
        }
        self.validate_by_validator(source, name, payload, limits)
    }

    /// The rest of [`Catalogue::validate_with_limits`], a function of its
    /// own so that the common case keeps a small frame.
    #[cold]
    #[inline(never)]
    fn validate_by_validator(
        &self,
        source: &str,
        name: &str,
        payload: &[u8],
        limits: &Limits,
    ) -> Result<ValidationReport, LookupError> {
        Ok(self
            .validator(source, name)?
            .validate_within(limits, payload))
    }

    /// Validates a payload against a named schema of the `schemas` table.
    ///
    /// ```
    /// use herald_core::Catalogue;
    /// let report = Catalogue::builtin().validate_named(
    ///     "orangepill-error",
    ///     br#"{"type":"error","realm":"Invalid Realm Key.","timestamp":1671547687}"#,
    /// )?;
    /// assert!(report.is_ok());
    /// # Ok::<(), herald_core::LookupError>(())
    /// ```
    pub fn validate_named(
        &self,
        schema: &str,
        payload: &[u8],
    ) -> Result<ValidationReport, LookupError> {
        self.validate_named_with_limits(schema, payload, &Limits::default())
    }

    /// [`Catalogue::validate_named`] with explicit limits.
    pub fn validate_named_with_limits(
        &self,
        schema: &str,
        payload: &[u8],
        limits: &Limits,
    ) -> Result<ValidationReport, LookupError> {
        Ok(self
            .named_validator(schema)?
            .validate_within(limits, payload))
    }
}

impl EventNames for Catalogue {
    fn resolve_name(&self, source: &str, name: &str) -> Option<&str> {
        self.resolve(source, name)
            .map(|resolved| resolved.event.name.as_str())
    }
}
