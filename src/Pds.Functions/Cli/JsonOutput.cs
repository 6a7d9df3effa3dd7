using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pds.Functions.Cli;

/// <summary>Indented JSON for people and scripts alike.</summary>
internal static class JsonOutput
{
    // Files and terminals, never HTML: keep non-ASCII text readable instead of \u-escaped.
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ToText(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        WriteTo(buffer, write);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static async Task WriteFileAsync(string path, Action<Utf8JsonWriter> write, CancellationToken ct)
    {
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            WriteTo(buffer, write);
            await file.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct).ConfigureAwait(false);
        }
    }

    private static void WriteTo(Stream stream, Action<Utf8JsonWriter> write)
    {
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            write(writer);
        }
        stream.WriteByte((byte)'\n');
    }
}
