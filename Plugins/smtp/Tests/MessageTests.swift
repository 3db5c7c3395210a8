import DriverKit
import Testing

@testable import SMTPDriver

/// The message text, byte for byte as gomail writes it (headers, folding, encodings), and the
/// envelope; pure, no server.
@Suite struct MessageTests {
    private let date = MailDate(seconds: 1_700_000_000)

    private func message(_ fields: MailFields, data: String = "\"<p>Hi</p>\"") throws -> MailMessage {
        try MailMessage(fields: fields, data: Array(data.utf8), date: date)
    }

    private func fields(
        from: String? = "sender@example.com", to: String? = "to@example.com", cc: String? = nil, bcc: String? = nil,
        subject: String? = "Hello", priority: Int = 3
    ) -> MailFields {
        MailFields(from: from, to: to, cc: cc, bcc: bcc, subject: subject, priority: priority)
    }

    @Test func headersAndBodyAreWrittenAsGomailWritesThem() throws {
        let mail = try message(fields(to: "a@example.com;b@example.com", cc: "c@example.com", bcc: "d@example.com"))
        let expected =
            "Mime-Version: 1.0\r\nDate: \(date.text)\r\nFrom: sender@example.com\r\n"
            + "To: a@example.com, b@example.com\r\nCc: c@example.com\r\nSubject: Hello\r\nX-priority: 3\r\n"
            + "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>Hi</p>"
        #expect(String(decoding: mail.bytes, as: UTF8.self) == expected)
        #expect(mail.sender == "sender@example.com")
        #expect(mail.recipients == ["a@example.com", "b@example.com", "c@example.com", "d@example.com"])
    }

    @Test func dateIsRFC1123ZInTheLocalZone() {
        // 1700000000 is Tue, 14 Nov 2023 22:13:20 UTC; the zone only moves the clock and the offset.
        let text = MailDate(seconds: 1_700_000_000).text
        #expect(text.count == "Tue, 14 Nov 2023 22:13:20 +0000".count)
        #expect(text.wholeMatch(of: /[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}/) != nil)
    }

    @Test func recipientsAreDeduplicatedAcrossToCcAndBccInThatOrder() throws {
        let mail = try message(
            fields(to: "a@x.org;b@x.org;a@x.org", cc: "b@x.org;Carol <c@x.org>", bcc: "c@x.org;d@x.org"))
        #expect(mail.recipients == ["a@x.org", "b@x.org", "c@x.org", "d@x.org"])
        let text = String(decoding: mail.bytes, as: UTF8.self)
        #expect(text.contains("To: a@x.org, b@x.org, a@x.org\r\n"), "header values stay as given")
        #expect(text.contains("Cc: b@x.org, Carol <c@x.org>\r\n"))
        #expect(!text.contains("d@x.org"), "Bcc goes in the envelope only")
    }

    @Test func displayNamesGiveTheEnvelopeTheBareAddress() throws {
        let mail = try message(fields(from: "\"Shop, Inc.\" <shop@x.org>", to: "<to@x.org>; Ann Lee <ann@x.org>"))
        #expect(mail.sender == "shop@x.org")
        #expect(mail.recipients == ["to@x.org", "ann@x.org"])
        let text = String(decoding: mail.bytes, as: UTF8.self)
        #expect(text.contains("From: \"Shop, Inc.\" <shop@x.org>\r\n"))
        // The space after the semicolon is kept, as gomail keeps it.
        #expect(text.contains("To: <to@x.org>,  Ann Lee <ann@x.org>\r\n"))
    }

    @Test func nonASCIIDisplayNamesAreEncodedBesideTheAddress() throws {
        let mail = try message(fields(from: "Zoë <zoe@x.org>", to: "\"Müller, Jörg\" <j@x.org>"))
        let text = String(decoding: mail.bytes, as: UTF8.self)
        #expect(text.contains("From: =?UTF-8?q?Zo=C3=AB?= <zoe@x.org>\r\n"))
        // A name with a special (the comma) takes the B form, as gomail's FormatAddress does.
        #expect(text.contains("To: =?UTF-8?b?TcO8bGxlciwgSsO2cmc=?= <j@x.org>\r\n"))
        #expect(mail.sender == "zoe@x.org")
    }

    @Test func badAddressesFailAsGomailDoes() {
        let cases: [(String, String)] = [
            ("a@x.org;", "gomail: invalid address \"\": mail: no address"),
            ("nobody", "gomail: invalid address \"nobody\": mail: missing '@' or angle-addr"),
            ("A <a@x.org> trailing", "mail: expected single address, got \" trailing\""),
            ("zoë@x.org", "printable ASCII"),
            ("a@x.org\r\nBcc: evil@x.org", "gomail: invalid address"),
            ("<a@>", "mail: invalid string"),
            ("Doe, John <j@x.org>", "mail: missing '@' or angle-addr"),
        ]
        for (to, reason) in cases {
            #expect {
                try message(fields(to: to))
            } throws: { error in
                let message = (error as? DriverError)?.message ?? ""
                return message.hasPrefix(
                    "error from smtp binding, sending email failed: gomail: could not send email 1: gomail: invalid address "
                )
                    && message.contains(reason)
            }
        }
    }

    @Test func missingFieldsFailInDaprsOrderWithItsWords() {
        let cases: [(MailFields, String)] = [
            (fields(from: nil, to: nil, subject: nil), "emailFrom"),
            (fields(to: nil, subject: nil), "emailTo"),
            (fields(subject: nil), "subject"),
        ]
        for (fields, name) in cases {
            #expect {
                try message(fields)
            } throws: { error in
                (error as? DriverError)?.message
                    == "smtp binding error: \(name) property not supplied in configuration- or request-metadata"
            }
        }
    }

    @Test func subjectsNeedingEncodingBecomeQEncodedWords() throws {
        let cases: [(String, String)] = [
            ("Grüße aus Köln", "=?UTF-8?q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?="),
            ("a_b=c?d", "a_b=c?d"),
            ("tab\there", "tab\there"),
            ("line\nbreak", "=?UTF-8?q?line=0Abreak?="),
            ("1 + 1 = 2 ✓", "=?UTF-8?q?1_+_1_=3D_2_=E2=9C=93?="),
        ]
        for (subject, header) in cases {
            let text = String(decoding: try message(fields(subject: subject)).bytes, as: UTF8.self)
            #expect(text.contains("\r\nSubject: \(header)\r\n"), "\(subject)")
        }
    }

    @Test func longEncodedSubjectsSplitIntoWordsOf75AndFold() throws {
        let subject = String(repeating: "é", count: 40)
        let text = String(decoding: try message(fields(subject: subject)).bytes, as: UTF8.self)
        // 63 characters of content a word: 10 é (60 characters) per word. gomail's fold looks
        // for a space before the limit, then only from column 75 on: so the first line holds two.
        let word = "=?UTF-8?q?" + String(repeating: "=C3=A9", count: 10) + "?="
        #expect(text.contains("\r\nSubject: \(word) \(word)\r\n \(word)\r\n \(word)\r\n"))
    }

    @Test func longPlainHeadersFoldAtSpacesNear76Characters() throws {
        let subject = (1...20).map { "word\($0)" }.joined(separator: " ")
        let text = String(decoding: try message(fields(subject: subject)).bytes, as: UTF8.self)
        let expected =
            "Subject: word1 word2 word3 word4 word5 word6 word7 word8 word9 word10\r\n"
            + " word11 word12 word13 word14 word15 word16 word17 word18 word19 word20\r\n"
        #expect(text.contains(expected))
    }

    @Test func longAddressListsStayOnOneLineAsGomailWritesThem() throws {
        // gomail's fold counter reaches 0 after the third address and then never folds again:
        // the line is long but legal (RFC 5322 allows 998 characters).
        let recipients = (1...6).map { "recipient\($0)@example.com" }
        let text = String(decoding: try message(fields(to: recipients.joined(separator: ";"))).bytes, as: UTF8.self)
        #expect(text.contains("\r\nTo: " + recipients.joined(separator: ", ") + "\r\n"))
    }

    @Test func aWordLongerThanTheLineIsWrittenWhole() throws {
        let subject = String(repeating: "x", count: 100)
        let text = String(decoding: try message(fields(subject: subject)).bytes, as: UTF8.self)
        #expect(text.contains("\r\nSubject: \(subject)\r\n"))
    }

    @Test func bodyIsTheUnquotedDataOrTheDataAsItIs() {
        #expect(MailMessage.body(Array(#""<b>x</b>""#.utf8)) == Array("<b>x</b>".utf8))
        #expect(MailMessage.body(Array(#""\u003cb\u003e \u00e9 \n""#.utf8)) == Array("<b> é \n".utf8))
        // JSON's \/ is no Go escape: Dapr then sends the data with its quotes.
        #expect(MailMessage.body(Array(#""a\/b""#.utf8)) == Array(#""a\/b""#.utf8))
        #expect(MailMessage.body(Array(#"{"a":1}"#.utf8)) == Array(#"{"a":1}"#.utf8))
        #expect(MailMessage.body(Array("null".utf8)) == Array("null".utf8), "a missing data field arrives as null")
        #expect(MailMessage.body(Array("`raw\r\ntext`".utf8)) == Array("raw\ntext".utf8))
        #expect(MailMessage.body(Array("'x'".utf8)) == Array("x".utf8))
        #expect(MailMessage.body(Array("'xy'".utf8)) == Array("'xy'".utf8))
        #expect(MailMessage.body(Array(#""\'""#.utf8)) == Array(#""\'""#.utf8))
        #expect(MailMessage.body(Array(#""\ud800""#.utf8)) == Array(#""\ud800""#.utf8), "a surrogate is invalid")
        #expect(MailMessage.body(Array(#""\x41\101\U0001F600""#.utf8)) == Array("AA😀".utf8))
        #expect(MailMessage.body([0x22, 0xFF, 0x22]) == [0xEF, 0xBF, 0xBD], "invalid UTF-8 becomes U+FFFD")
        #expect(MailMessage.body([]) == [])
    }

    @Test func quotedPrintableFollowsGo() {
        func qp(_ text: String) -> String { String(decoding: QuotedPrintable.encoded(Array(text.utf8)), as: UTF8.self) }
        #expect(qp("héllo") == "h=C3=A9llo")
        #expect(qp("a=b") == "a=3Db")
        #expect(qp("line \nnext\ttab\t") == "line=20\r\nnext\ttab=09")
        #expect(qp("a\rb\nc\r\nd") == "a\r\nb\r\nc\r\nd")
        #expect(qp(String(repeating: "a", count: 80)) == String(repeating: "a", count: 75) + "=\r\n" + "aaaaa")
        #expect(qp(String(repeating: "a", count: 74) + "é") == String(repeating: "a", count: 74) + "=\r\n=C3=A9")
        #expect(qp(".starts with a dot") == ".starts with a dot", "dot-stuffing is the transport's job")
        #expect(qp("") == "")
    }

    @Test func quotedPrintableRoundTripsLongMixedText() {
        let text = (0..<50).map { "Zeile \($0): Grüße = \(String(repeating: "x", count: $0 * 3)) " }.joined(
            separator: "\n")
        let encoded = String(decoding: QuotedPrintable.encoded(Array(text.utf8)), as: UTF8.self)
        for line in encoded.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 76) }
        #expect(decodedQuotedPrintable(encoded) == Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
    }

    @Test func priorityAndOverridesApplyPerRequest() throws {
        let base = fields(priority: 3)
        let merged = try base.overridden(by: [
            "emailFrom": "o@x.org", "emailTo": "p@x.org", "emailCC": "q@x.org", "emailBCC": "r@x.org",
            "subject": "S", "priority": "1",
        ])
        #expect(
            merged
                == MailFields(from: "o@x.org", to: "p@x.org", cc: "q@x.org", bcc: "r@x.org", subject: "S", priority: 1))
        #expect(
            try base.overridden(by: ["emailTo": "", "EmailTo": "ignored@x.org"]) == base,
            "keys match exactly; empty values do not override")
        for bad in ["0", "6", "high", "3.0"] {
            #expect {
                try base.overridden(by: ["priority": bad])
            } throws: { error in
                let message = (error as? DriverError)?.message ?? ""
                return message.contains("priority value must be between 1 (highest) and 5 (lowest)")
                    && message.contains("\"\(bad)\"")
            }
        }
    }
}
