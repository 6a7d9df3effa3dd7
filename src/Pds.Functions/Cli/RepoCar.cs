using Pds.Core.Car;
using Pds.Core.Crypto;
using Pds.Core.Ipld;
using Pds.Core.Repo;

namespace Pds.Functions.Cli;

/// <summary>A repository CAR read from disk and verified: the raw blocks and the verified view.</summary>
internal sealed record RepoCar(CarFile Car, VerifiedRepo Repo)
{
    /// <summary>
    /// Reads the whole file, checks every block hash while parsing, then verifies commit and tree
    /// (and the signature when <paramref name="key"/> is given). Throws the exceptions
    /// <see cref="BadInput"/> knows for anything malformed.
    /// </summary>
    public static async Task<RepoCar> LoadAsync(FileInfo file, PublicKey? key, CancellationToken ct)
    {
        if (Directory.Exists(file.FullName))
        {
            throw new IOException($"{file.FullName} is a directory, not a CAR file");
        }
        var bytes = await File.ReadAllBytesAsync(file.FullName, ct).ConfigureAwait(false);
        var car = CarReader.Read(bytes);
        var repo = await RepoVerifier.VerifyAsync(car, key, ct: ct).ConfigureAwait(false);
        return new RepoCar(car, repo);
    }

    /// <summary>The block of a record the verifier has already seen; a miss would be a bug.</summary>
    public ReadOnlyMemory<byte> RecordBlock(Cid cid) =>
        Car.TryGetBlock(cid, out var data) ? data : throw new InvalidOperationException($"verified record {cid} has no block");
}
