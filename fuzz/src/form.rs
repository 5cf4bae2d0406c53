//! The form-body decoder (InPlayer webhooks) on its own, under each
//! repeated-key policy: never a panic; the policies agree wherever no key
//! repeats; `reject` refuses exactly the bodies the others warn about; and
//! what decodes is a fixed point of encode → decode.
use herald_core::Catalogue;
use herald_core::validate::IssueCode;
use herald_core::wire::{self, DecodeOptions, RepeatedKeyPolicy, WireFormat, inplayer_webhook};

/// Runs one input; panics when a property fails.
pub fn run(body: &[u8]) {
    let catalogue = Catalogue::builtin();
    let decode = |policy| {
        let options = DecodeOptions {
            repeated_keys: policy,
            ..DecodeOptions::default()
        };
        inplayer_webhook::decode(catalogue, body, &options)
    };
    let last = decode(RepeatedKeyPolicy::LastWins);
    let first = decode(RepeatedKeyPolicy::FirstWins);
    let reject = decode(RepeatedKeyPolicy::Reject);

    let repeated = |decoded: &wire::Decoded<'_>| {
        decoded
            .report
            .warnings
            .iter()
            .any(|issue| issue.code == IssueCode::DuplicateKey)
    };
    match (&last, &first) {
        (Ok(last), Ok(first)) => {
            assert_eq!(repeated(last), repeated(first));
            if repeated(last) {
                let error = reject.as_ref().expect_err("reject refuses a repeated key");
                assert_eq!(error.code(), "repeated_key");
            } else {
                assert_eq!(last, first);
                assert_eq!(reject.as_ref().ok(), Some(last));
            }
        }
        // The name, id or timestamp can come from a repeated key, so one
        // policy may decode where another does not; without a repeat they
        // fail alike.
        (Err(error), Ok(decoded)) | (Ok(decoded), Err(error)) => {
            assert!(repeated(decoded), "only one policy failed: {error}");
        }
        (Err(last), Err(first)) => {
            if reject.is_ok() {
                panic!("reject decoded what both other policies refused: {last} / {first}");
            }
        }
    }

    for decoded in [last, first, reject].into_iter().flatten() {
        let encoded = wire::encode(&decoded.event).expect("a decoded webhook encodes");
        let again = wire::decode(WireFormat::InplayerWebhook, catalogue, &encoded)
            .expect("an encoded webhook decodes");
        assert_eq!(
            again.event,
            decoded.event,
            "{:?}",
            String::from_utf8_lossy(&encoded)
        );
        assert!(!repeated(&again), "the encoder repeats no key");
    }
}
