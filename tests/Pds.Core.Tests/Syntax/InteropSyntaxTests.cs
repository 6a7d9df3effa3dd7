using Pds.Core.Tests.Interop;

namespace Pds.Core.Tests.Syntax;

/// <summary>One test per file under interop/syntax; the last test fails if a file has no test here.</summary>
public class InteropSyntaxTests
{
    private static readonly string[] Files =
    [
        "atidentifier_syntax_invalid.txt", "atidentifier_syntax_valid.txt", "aturi_syntax_invalid.txt",
        "aturi_syntax_valid.txt", "cid_syntax_invalid.txt", "cid_syntax_valid.txt", "datetime_parse_invalid.txt",
        "datetime_syntax_invalid.txt", "datetime_syntax_valid.txt", "did_syntax_invalid.txt", "did_syntax_valid.txt",
        "handle_syntax_invalid.txt", "handle_syntax_valid.txt", "language_parse_invalid.txt",
        "language_syntax_invalid.txt", "language_syntax_valid.txt", "nsid_syntax_invalid.txt", "nsid_syntax_valid.txt",
        "recordkey_syntax_invalid.txt", "recordkey_syntax_valid.txt", "tid_syntax_invalid.txt", "tid_syntax_valid.txt",
        "uri_syntax_invalid.txt", "uri_syntax_valid.txt",
    ];

    [InteropFact] public void AtIdentifier_InvalidLines_AllRejected() => InteropCases.AssertFile("atidentifier_syntax_invalid.txt");
    [InteropFact] public void AtIdentifier_ValidLines_AllAccepted() => InteropCases.AssertFile("atidentifier_syntax_valid.txt");
    [InteropFact] public void AtUri_InvalidLines_AllRejected() => InteropCases.AssertFile("aturi_syntax_invalid.txt");
    [InteropFact] public void AtUri_ValidLines_AllAccepted() => InteropCases.AssertFile("aturi_syntax_valid.txt");
    [InteropFact] public void Cid_InvalidLines_AllRejected() => InteropCases.AssertFile("cid_syntax_invalid.txt");
    [InteropFact] public void Cid_ValidLines_AllAccepted() => InteropCases.AssertFile("cid_syntax_valid.txt");
    [InteropFact] public void Datetime_ParseInvalidLines_AllRejected() => InteropCases.AssertFile("datetime_parse_invalid.txt");
    [InteropFact] public void Datetime_InvalidLines_AllRejected() => InteropCases.AssertFile("datetime_syntax_invalid.txt");
    [InteropFact] public void Datetime_ValidLines_AllAccepted() => InteropCases.AssertFile("datetime_syntax_valid.txt");
    [InteropFact] public void Did_InvalidLines_AllRejected() => InteropCases.AssertFile("did_syntax_invalid.txt");
    [InteropFact] public void Did_ValidLines_AllAccepted() => InteropCases.AssertFile("did_syntax_valid.txt");
    [InteropFact] public void Handle_InvalidLines_AllRejected() => InteropCases.AssertFile("handle_syntax_invalid.txt");
    [InteropFact] public void Handle_ValidLines_AllAccepted() => InteropCases.AssertFile("handle_syntax_valid.txt");
    [InteropFact] public void Language_ParseInvalidLines_AllRejected() => InteropCases.AssertFile("language_parse_invalid.txt");
    [InteropFact] public void Language_InvalidLines_AllRejected() => InteropCases.AssertFile("language_syntax_invalid.txt");
    [InteropFact] public void Language_ValidLines_AllAccepted() => InteropCases.AssertFile("language_syntax_valid.txt");
    [InteropFact] public void Nsid_InvalidLines_AllRejected() => InteropCases.AssertFile("nsid_syntax_invalid.txt");
    [InteropFact] public void Nsid_ValidLines_AllAccepted() => InteropCases.AssertFile("nsid_syntax_valid.txt");
    [InteropFact] public void RecordKey_InvalidLines_AllRejected() => InteropCases.AssertFile("recordkey_syntax_invalid.txt");
    [InteropFact] public void RecordKey_ValidLines_AllAccepted() => InteropCases.AssertFile("recordkey_syntax_valid.txt");
    [InteropFact] public void Tid_InvalidLines_AllRejected() => InteropCases.AssertFile("tid_syntax_invalid.txt");
    [InteropFact] public void Tid_ValidLines_AllAccepted() => InteropCases.AssertFile("tid_syntax_valid.txt");
    [InteropFact] public void Uri_InvalidLines_AllRejected() => InteropCases.AssertFile("uri_syntax_invalid.txt");
    [InteropFact] public void Uri_ValidLines_AllAccepted() => InteropCases.AssertFile("uri_syntax_valid.txt");

    [InteropFact]
    public void SyntaxFolder_EveryFile_HasATest()
    {
        var present = Directory.GetFiles(InteropFiles.Path("syntax")).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(Files.Order(), present);
        Assert.All(Files, f => Assert.True(InteropCases.Understands(f), f));
    }
}
