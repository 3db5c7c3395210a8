import AWSKit
import Testing

/// The XML reader takes what AWS answers and refuses what is not well-formed.
@Suite struct XMLTests {
    @Test func readsAnAWSAnswer() throws {
        let text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>photos</Name><!-- a comment -->
              <Contents><Key>a &amp; b &lt;c&gt; &#233;&#x263A;</Key><Size>5</Size></Contents>
              <Contents><Key><![CDATA[x<&>y]]></Key><Size>0</Size></Contents>
              <s3:Owner xmlns:s3="urn:x" id='7'/>
            </ListBucketResult>
            """
        let root = try XMLElement.parse(Array(text.utf8))
        #expect(root.name == "ListBucketResult" && root.text(at: "Name") == "photos")
        #expect(root.all("Contents").map { $0.text(at: "Key") } == ["a & b <c> é☺", "x<&>y"])
        #expect(root.child("Owner")?.attributes["id"] == "7", "the prefix is dropped from the name")
    }

    @Test(arguments: ["", "<a>", "<a></b>", "<a>x</a><b/>", "<!DOCTYPE a><a/>", "<a>&bogus;</a>", "<a b=1/>"])
    func refusesMalformedDocuments(_ text: String) {
        #expect(throws: XMLSyntaxError.self) { try XMLElement.parse(Array(text.utf8)) }
    }
}
