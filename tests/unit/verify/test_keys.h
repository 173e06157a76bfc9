// Public key material of the verify tests, shared with the fuzzers (no test framework here).
#pragma once

namespace hookgate::verify::testing {

// Key material for tests. The Ed25519 pair is the svix-server v1a vector (svix-server tests);
// the P-256 pair was generated for these tests (PKCS#8 private key, SPKI public key, base64 DER).
inline constexpr const char* kEd25519Whpk = "whpk_1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=";
inline constexpr const char* kEd25519KeypairB64 =
    "6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlX0dRqSKJp4AJ6p9lMicMFs6Kvg==";
inline constexpr const char* kP256PublicB64 =
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEx4dn8Y09pZievPzLdGQ7/N/yE3lcgs0WLMuG0U//MLU1DEFufOc4CfG2"
    "FH3X7kppfHavq2ZG0lntxPjcicU4VA==";
inline constexpr const char* kP256PrivatePkcs8B64 =
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgpYTHCMXa9YVGBoIbRNS0zPwsgAy2/dKykC+lBUNu19mh"
    "RANCAATHh2fxjT2lmJ68/Mt0ZDv83/ITeVyCzRYsy4bRT/8wtTUMQW585zgJ8bYUfdfuSml8dq+rZkbSWe3E+NyJxThU";

// A self-signed RSA-2048 certificate standing in for a vendor's signing certificate (Amazon
// SNS, PayPal); tests/unit/verify/catalogue_vectors_test.cc holds signatures its key made.
inline constexpr const char* kRsaCertificatePem =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIDLzCCAhegAwIBAgIUBdtiV14Oi2XGj1Q4L5i7fO2kNe0wDQYJKoZIhvcNAQEL\n"
    "BQAwJjEkMCIGA1UEAwwbc25zLnVzLWVhc3QtMS5hbWF6b25hd3MuY29tMCAXDTI2\n"
    "MTIwNjExNTEzMloYDzIxMjYxMTEyMTE1MTMyWjAmMSQwIgYDVQQDDBtzbnMudXMt\n"
    "ZWFzdC0xLmFtYXpvbmF3cy5jb20wggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEK\n"
    "AoIBAQCV6wHq58dPFzQTuR/EwWvvrH8C+0cr78Z8Dgckb96kaAar32MzcTSE5F8y\n"
    "hgt2KTsFFAtusG7KTXQvNbmju3VA17OwENpU0KJj/7c+F2jqaxt7onoM5i9rMFZx\n"
    "HE2h1467SzDvWTDoH7beMYKSQe64io+DweIbswl86cBNK5ApgJdyQRwKUTxn3dY8\n"
    "DlSNDuaeHO/7PYyTwwiM2WQ845VYmFw04wkGMv6zS2DiE34Juqughoe0iDWFiErm\n"
    "WbVZrSr45LhJe+gvQNcY/5AU0voGhsw+i26FCdgMicyCoSkGazCs9agTG5xthJbk\n"
    "4reNRvrU7ePn4X/qXJFzuds7jhIjAgMBAAGjUzBRMB0GA1UdDgQWBBTvzanyQB+y\n"
    "uRrZvtWexOOIFco5FjAfBgNVHSMEGDAWgBTvzanyQB+yuRrZvtWexOOIFco5FjAP\n"
    "BgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4IBAQBTbHQIQWuieYCUyo+c\n"
    "yRWiAtf/KwQ71ESFYgjGdfXRQripqnKGJ+lUZDSrB/vW+RlZ9uxHCzdPhbjdgTnT\n"
    "Wcum5E951fpS/UrESisFEi67CLu1zgI3U05a0JGaazrQUpwfJ8GS18Ly0/5HlqEb\n"
    "dTyyDBS9m5ukFl5xrUxiITzuwuFj4X1PD9ZI+hDpmi/xVkrW4qciBD4H0CJFpBOl\n"
    "maf6U45GJ0gFWW0ip49g1MX380hmV0xqwJfsY+wWOGonbY2o4b/BdWkt+6Tvn3Oq\n"
    "S0MMxmzz7sqaWWoyHYYeRDg//4UbRHwZUGiekpsbmy86HLweH2aFF93bFXhgI8Zc\n"
    "M7/h\n"
    "-----END CERTIFICATE-----\n";

// An RSA-2048 public key as a JWKS (kid "test-rsa-1"), generated for these tests; tokens
// signed with its private key are in jwt_scheme_test.cc.
inline constexpr const char* kTestJwks =
    R"({"keys":[{"kty":"RSA","n":"yu72vg7xDgR3n2iskLWN3FWkplssUT4Dd7DdOZq4_ge1wJ4T9Qt7PVY8s4u65OK67KPdAjQKfXKKzteWGPcEc-9W3AYyfnvTd2tHOLGRiu3NM_FGePsCpGnF41AyPmYf5sexT6Qd5LHfypUn8C0kCmoav5hUaEWU1rSaa-lpilONiCFrPTq6VlNezETUHuVinwcrsZpiuFdMQKfs8vwkZUtFwyXHQkzFGff_2x8axI16xg8EqKlUbG6nQ2hd9QovZ06ZY6N0qA1mgg5Urrh9VFAXe6otjfwYqeBRx-7n2N62dOKPoFT_HwyU8oquHdiw_1zO147zWY8KnY-t6ZoRlQ","e":"AQAB","kid":"test-rsa-1","alg":"RS256","use":"sig"}]})";

}  // namespace hookgate::verify::testing
