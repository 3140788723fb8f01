// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

/// @title iotrust anchor registry
/// @notice Records commitments to batches of IoT events: the Merkle root of
/// each batch, when it was anchored, and (in the Anchored event) everything
/// else a verifier needs. Only gateways registered by the owner may anchor.
/// @dev Gas is the design constraint: an anchor writes exactly one new
/// storage slot (root => block number and hash function, packed) and one
/// log; the content id, window, count, topic and metadata live only in the
/// log, where bytes cost 8 gas instead of 20,000 per 32.
contract Anchor {
    /// @notice A batch with Merkle root `root` was anchored by `gateway`.
    /// @param hashFunc the hash function of the root, as numbered by the
    /// iotrust canon package (1 = BLAKE3-256, 2 = SHA-256).
    /// @param cid the binary CID of the stored (encrypted) batch.
    /// @param windowStart first instant of the batch, Unix nanoseconds.
    /// @param windowEnd last instant of the batch, Unix nanoseconds.
    /// @param count number of events under the root.
    /// @param topic stream name, [A-Za-z0-9] and "-._~/:".
    /// @param meta optional opaque metadata (at most 256 bytes by
    /// convention; the contract does not check it).
    event Anchored(
        bytes32 indexed root,
        address indexed gateway,
        uint8 hashFunc,
        bytes cid,
        uint64 windowStart,
        uint64 windowEnd,
        uint64 count,
        string topic,
        bytes meta
    );
    /// @notice `gateway` may anchor from now on.
    event GatewayAdded(address indexed gateway);
    /// @notice `gateway` may no longer anchor; its earlier anchors stay.
    event GatewayRemoved(address indexed gateway);
    /// @notice The owner changed from `previousOwner` to `newOwner`.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    /// @notice The caller is not the owner.
    error NotOwner(address caller);
    /// @notice The caller is not a registered gateway.
    error NotGateway(address caller);
    /// @notice `root` was already anchored in block `blockNumber`.
    error AlreadyAnchored(bytes32 root, uint64 blockNumber);
    /// @notice The window ends before it starts.
    error BadWindow(uint64 windowStart, uint64 windowEnd);
    /// @notice The zero address was given where an account is needed.
    error ZeroAddress();

    /// @notice The account that adds and removes gateways.
    address public owner;
    /// @notice Whether an address may anchor.
    mapping(address => bool) public isGateway;
    /// @dev root => block number << 8 | hash function; zero when absent
    /// (no transaction runs in block 0, so a present entry is never zero).
    mapping(bytes32 => uint256) private anchors;

    constructor() {
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    /// @notice Anchors the batch with Merkle root `root`. Reverts with
    /// AlreadyAnchored if the root is anchored already, so a root is written
    /// once whoever retries.
    function anchor(
        bytes32 root,
        uint8 hashFunc,
        bytes calldata cid,
        uint64 windowStart,
        uint64 windowEnd,
        uint64 count,
        string calldata topic,
        bytes calldata meta
    ) external {
        if (!isGateway[msg.sender]) revert NotGateway(msg.sender);
        if (windowEnd < windowStart) revert BadWindow(windowStart, windowEnd);
        uint256 prev = anchors[root];
        if (prev != 0) revert AlreadyAnchored(root, uint64(prev >> 8));
        anchors[root] = (block.number << 8) | hashFunc;
        emit Anchored(root, msg.sender, hashFunc, cid, windowStart, windowEnd, count, topic, meta);
    }

    /// @notice The block in which `root` was anchored and the hash function
    /// of the root; blockNumber is zero if the root was never anchored.
    function anchoredAt(bytes32 root) external view returns (uint64 blockNumber, uint8 hashFunc) {
        uint256 v = anchors[root];
        return (uint64(v >> 8), uint8(v));
    }

    /// @notice Registers `gateway` as allowed to anchor.
    function addGateway(address gateway) external onlyOwner {
        if (gateway == address(0)) revert ZeroAddress();
        isGateway[gateway] = true;
        emit GatewayAdded(gateway);
    }

    /// @notice Withdraws the right of `gateway` to anchor.
    function removeGateway(address gateway) external onlyOwner {
        isGateway[gateway] = false;
        emit GatewayRemoved(gateway);
    }

    /// @notice Hands the contract to `newOwner`.
    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }
}
