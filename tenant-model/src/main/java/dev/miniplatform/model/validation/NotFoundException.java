package dev.miniplatform.model.validation;

/**
 * The thing does not exist <em>for this caller</em>. Also used for other tenants' things, so that an id from
 * another tenant is indistinguishable from an unknown one.
 */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what) {
        super(what + " not found");
    }
}
