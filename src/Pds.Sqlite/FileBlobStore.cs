using System.Buffers;
using System.Security.Cryptography;
using Pds.Core.Ipld;
using Pds.Core.Storage;

namespace Pds.Sqlite;

/// <summary>
/// Blobs as files: uploads stream to &lt;dir&gt;/tmp/&lt;key&gt; while being hashed, and become
/// permanent by an atomic rename to &lt;dir&gt;/&lt;did with + for :&gt;/&lt;cid&gt; (same file system, so the
/// bytes are never copied and a reader never sees a partial file).
/// </summary>
public sealed class FileBlobStore : IBlobStore
{

    private const int BufferSize = 81920;

    private readonly BlobPaths _paths;

    public FileBlobStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _paths = new BlobPaths(directory);
        System.IO.Directory.CreateDirectory(_paths.Temp);
    }

    public async Task<TempBlob> PutTempAsync(Stream content, long maxBytes, CancellationToken ct = default)
    {
        if (content.CanSeek && content.Length - content.Position > maxBytes)
        {
            throw new BlobTooLargeException(maxBytes);
        }
        var key = BlobPaths.NewTempKey();
        var path = _paths.TempFile(key);
        using var digest = new UploadDigest(maxBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using (var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None,
                Options = FileOptions.Asynchronous, BufferSize = 0,
            }))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), ct).ConfigureAwait(false)) > 0)
                {
                    digest.Append(buffer.AsSpan(0, read));
                    await file.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                }
                // On disk before anyone can make it permanent and reference it from a record.
                file.Flush(flushToDisk: true);
            }
        }
        catch
        {
            TryDelete(path);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return digest.Complete(key);
    }

    /// <summary>Renames the upload into place. Already permanent: the temp file, if any, is just dropped.</summary>
    public Task MakePermanentAsync(string did, string tempKey, Cid cid, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var temp = _paths.TempFile(tempKey);
        var target = _paths.File(did, cid);
        if (File.Exists(target))
        {
            TryDelete(temp);
            return Task.CompletedTask;
        }
        System.IO.Directory.CreateDirectory(_paths.Directory(did));
        try
        {
            File.Move(temp, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // A concurrent call won the rename; the bytes are the same (same CID).
            TryDelete(temp);
        }
        return Task.CompletedTask;
    }

    public Task<Stream?> OpenAsync(string did, Cid cid, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var path = _paths.File(did, cid);
        try
        {
            Stream stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task DeleteAsync(string did, Cid cid, CancellationToken ct = default)
    {
        TryDelete(_paths.File(did, cid));
        return Task.CompletedTask;
    }

    public Task DeleteTempAsync(string tempKey, CancellationToken ct = default)
    {
        TryDelete(_paths.TempFile(tempKey));
        return Task.CompletedTask;
    }

    public Task DeleteAllAsync(string did, CancellationToken ct = default)
    {
        try
        {
            System.IO.Directory.Delete(_paths.Directory(did), recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was ever stored for this account.
        }
        return Task.CompletedTask;
    }

    /// <summary>Deletes a file that may not exist.</summary>
    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Its directory is gone, so the file is too.
        }
    }
}
