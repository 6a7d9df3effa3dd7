using System.Text;
using Pds.Azure.Adapters.Backup;
using Pds.Azure.Storage;

namespace Pds.Storage.Tests.Azure;

/// <summary>Backup files come from disk and may be damaged: a bad line is a FormatException naming it, never anything else.</summary>
public sealed class TableBackupFuzzTests
{
    private static readonly string Valid = Encoding.UTF8.GetString(TableEntityJsonSample());

    [Fact]
    public void ParseLine_ValidLine_RoundTripsTheTypedProperties()
    {
        var entity = TableBackup.ParseLine(Valid, 1, "t");

        Assert.Equal("did%3Aplc%3Aabc", entity.PartitionKey);
        Assert.Equal(1795327055670214L, entity.GetInt64("LastSeq"));
        Assert.Equal(new byte[] { 1, 2, 3 }, entity.GetBinary("Data"));
    }

    [Fact]
    public void ParseLine_RandomAndMutatedLines_OnlyFormatException()
    {
        var random = new Random(4242);
        for (var i = 0; i < 20_000; i++)
        {
            string line;
            if (i % 2 == 0)
            {
                var bytes = new byte[random.Next(0, 120)];
                random.NextBytes(bytes);
                line = Encoding.UTF8.GetString(bytes);
            }
            else
            {
                var chars = Valid.ToCharArray();
                for (var m = random.Next(1, 4); m > 0; m--)
                {
                    chars[random.Next(chars.Length)] = (char)random.Next(32, 127);
                }
                line = new string(chars);
            }
            try
            {
                TableBackup.ParseLine(line, i, "t");
            }
            catch (FormatException)
            {
            }
        }
    }

    [Fact]
    public void ParseLine_DeepOrHugeLine_Refused()
    {
        Assert.Throws<FormatException>(() => TableBackup.ParseLine(new string('[', 100) + new string(']', 100), 1, "t"));
        Assert.Throws<FormatException>(() => TableBackup.ParseLine(new string(' ', 3 * 1024 * 1024), 1, "t"));
    }

    private static byte[] TableEntityJsonSample()
    {
        var entity = new TableEntity("did%3Aplc%3Aabc", "head").Set("LastSeq", 1795327055670214L).Set("Data", new byte[] { 1, 2, 3 }).Set("Rev", "3k2a");
        return TableEntityJson.Serialize(entity);
    }
}
