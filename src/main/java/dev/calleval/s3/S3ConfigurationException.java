package dev.calleval.s3;

/**
 * calleval's S3 settings cannot work: a malformed endpoint or presign TTL, half a pair of static keys, or no region
 * to be found. A user mistake: the command line prints the message and exits 2 (it is an
 * {@link IllegalArgumentException}); retrying cannot help. The message never holds a secret key.
 */
public class S3ConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public S3ConfigurationException(String message) {
        super(message);
    }
}
