using Pds.Core.Syntax;

namespace Pds.Core.Identity;

/// <summary>
/// Checks a DID's chain of valid (not nullified) operations as a directory serves it: the
/// genesis hashes to the DID and is signed by one of its own rotation keys, and every later
/// operation names its predecessor's CID and is signed by one of the predecessor's rotation
/// keys. Recovery-window rules need the nullified forks and timestamps, so they are the
/// directory's business; this catches a directory that serves a forged or broken chain.
/// </summary>
public static class PlcOperationLog
{
    /// <summary>Returns the last operation (the current state, or a tombstone).</summary>
    public static PlcOperation Verify(Did did, IReadOnlyList<PlcOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(did);
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count == 0)
        {
            throw new PlcFormatException("the operation log is empty");
        }
        var genesis = operations[0];
        if (!genesis.IsSigned || !genesis.IsGenesis || genesis.IsTombstone)
        {
            throw new PlcFormatException("the log must start with a signed genesis operation");
        }
        if (genesis.DeriveDid() != did)
        {
            throw new PlcFormatException($"the genesis operation hashes to {genesis.DeriveDid()}, not {did}");
        }
        if (genesis.FindSigner(genesis.RotationKeys) is null)
        {
            throw new PlcFormatException("the genesis operation is not signed by one of its rotation keys");
        }
        for (var i = 1; i < operations.Count; i++)
        {
            var previous = operations[i - 1];
            var op = operations[i];
            if (previous.IsTombstone)
            {
                throw new PlcFormatException($"operation {i} follows a tombstone");
            }
            if (!op.IsSigned || op.Prev != previous.Cid)
            {
                throw new PlcFormatException($"operation {i} is unsigned or does not name operation {i - 1} as prev");
            }
            if (op.FindSigner(previous.RotationKeys) is null)
            {
                throw new PlcFormatException($"operation {i} is not signed by a rotation key of operation {i - 1}");
            }
        }
        return operations[^1];
    }
}
