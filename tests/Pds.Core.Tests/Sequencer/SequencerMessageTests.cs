using System.Text;
using Pds.Core.Sequencer;

namespace Pds.Core.Tests.Sequencer;

public sealed class SequencerMessageTests
{
    [Fact]
    public void Create_ThenDidOf_RoundTrips()
    {
        Assert.Equal("did:plc:abcdefghijklmnopqrstuvwx", SequencerMessage.DidOf(SequencerMessage.Create("did:plc:abcdefghijklmnopqrstuvwx")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"did\": 5}")]
    [InlineData("{\"did\": \"not a did\"}")]
    [InlineData("{\"did\": \"did:plc:ab\\u0000\"}")]
    [InlineData("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}")]
    public void DidOf_NotOurMessage_NullMeaningEveryRepository(string message)
    {
        Assert.Null(SequencerMessage.DidOf(message));
    }

    /// <summary>The queue is writable by anyone holding storage rights: garbage must only ever mean "no hint".</summary>
    [Fact]
    public void DidOf_RandomAndMutatedInput_NeverThrows()
    {
        var random = new Random(1234);
        var valid = Encoding.UTF8.GetBytes(SequencerMessage.Create("did:web:example.com"));
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = i % 2 == 0 ? new byte[random.Next(0, 80)] : (byte[])valid.Clone();
            if (i % 2 == 0)
            {
                random.NextBytes(bytes);
            }
            else
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }
            var did = SequencerMessage.DidOf(Encoding.UTF8.GetString(bytes));
            Assert.True(did is null || Pds.Core.Syntax.Did.TryParse(did, out _));
        }
    }
}
