import { describe, expect, it } from '@jest/globals';
import {
  BadRequestException,
  HttpException,
  InternalServerErrorException,
  MethodNotAllowedException,
  NotFoundException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { errorCodes } from 'fastify';
import {
  DomainError,
  alreadyExists,
  notFound,
  staleConflict,
  type DomainErrorCode,
} from '../domain/errors.js';
import { fromFrameworkError, mapErrorCode, toStatus } from './status.js';

describe('mapErrorCode', () => {
  it.each<{ code: DomainErrorCode; http: number; reason: string; graphql: string }>([
    { code: 'Invalid', http: 422, reason: 'Invalid', graphql: 'INVALID' },
    { code: 'AlreadyExists', http: 409, reason: 'AlreadyExists', graphql: 'ALREADY_EXISTS' },
    { code: 'Conflict', http: 409, reason: 'Conflict', graphql: 'CONFLICT' },
    { code: 'NotFound', http: 404, reason: 'NotFound', graphql: 'NOT_FOUND' },
    { code: 'BadRequest', http: 400, reason: 'BadRequest', graphql: 'BAD_REQUEST' },
    { code: 'Forbidden', http: 403, reason: 'Forbidden', graphql: 'FORBIDDEN' },
    { code: 'MethodNotAllowed', http: 405, reason: 'MethodNotAllowed', graphql: 'METHOD_NOT_ALLOWED' },
    {
      code: 'UnsupportedMediaType',
      http: 415,
      reason: 'UnsupportedMediaType',
      graphql: 'UNSUPPORTED_MEDIA_TYPE',
    },
    {
      code: 'RequestEntityTooLarge',
      http: 413,
      reason: 'RequestEntityTooLarge',
      graphql: 'REQUEST_ENTITY_TOO_LARGE',
    },
    { code: 'ServiceUnavailable', http: 503, reason: 'ServiceUnavailable', graphql: 'SERVICE_UNAVAILABLE' },
    { code: 'InternalError', http: 500, reason: 'InternalError', graphql: 'INTERNAL_SERVER_ERROR' },
  ])('$code -> $http $reason / $graphql', ({ code, http, reason, graphql }) => {
    expect(mapErrorCode(code)).toEqual({ http, reason, graphql });
  });
});

describe('toStatus', () => {
  it('has the metav1.Status shape and field order', () => {
    const s = toStatus(notFound('pods', 'web'));
    expect(s).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "web" not found',
      reason: 'NotFound',
      details: { name: 'web', kind: 'pods' },
      code: 404,
    });
    expect(Object.keys(s)).toEqual([
      'kind',
      'apiVersion',
      'metadata',
      'status',
      'message',
      'reason',
      'details',
      'code',
    ]);
  });

  it.each<{ name: string; error: DomainError; details: unknown }>([
    {
      name: 'a group is kept when set',
      error: alreadyExists('networkpolicies', 'np', 'networking.k8s.io'),
      details: { name: 'np', group: 'networking.k8s.io', kind: 'networkpolicies' },
    },
    {
      name: 'the core group is left out',
      error: staleConflict('services', 'web'),
      details: { name: 'web', kind: 'services' },
    },
    {
      name: 'causes are passed through',
      error: new DomainError('Invalid', 'Service "web" is invalid: ...', {
        kind: 'services',
        name: 'web',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: 0: must be between 1 and 65535, inclusive',
            field: 'spec.ports[0].port',
          },
        ],
      }),
      details: {
        name: 'web',
        kind: 'services',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: 0: must be between 1 and 65535, inclusive',
            field: 'spec.ports[0].port',
          },
        ],
      },
    },
    {
      name: 'causes alone make details',
      error: new DomainError('Invalid', 'x', { causes: [] }),
      details: { causes: [] },
    },
    {
      name: 'the apply report is not exposed',
      error: new DomainError('Invalid', 'x', { kind: 'apply', causes: [], report: [{ any: 1 }] }),
      details: { kind: 'apply', causes: [] },
    },
    { name: 'no details at all', error: new DomainError('BadRequest', 'bad'), details: undefined },
    {
      name: 'a group without name or kind',
      error: new DomainError('BadRequest', 'bad', { group: 'g' }),
      details: undefined,
    },
  ])('$name', ({ error, details }) => {
    const s = toStatus(error);
    expect(s.details).toEqual(details);
    expect('details' in s).toBe(details !== undefined);
    expect(s.code).toBe(mapErrorCode(error.code).http);
    expect(s.reason).toBe(error.code);
  });
});

describe('fromFrameworkError', () => {
  it.each<{ name: string; error: unknown; code: DomainErrorCode; message: string | RegExp }>([
    {
      name: 'Fastify body too large',
      error: new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(),
      code: 'RequestEntityTooLarge',
      message: 'the request body is too large',
    },
    {
      name: 'Fastify invalid JSON body',
      error: new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(),
      code: 'BadRequest',
      message:
        "the body is not valid JSON: Body is not valid JSON but content-type is set to 'application/json'",
    },
    {
      name: 'Fastify empty JSON body',
      error: new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(),
      code: 'BadRequest',
      message: /empty/,
    },
    {
      name: 'Fastify bad content length',
      error: new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(),
      code: 'BadRequest',
      message: /Content-Length/i,
    },
    {
      name: 'Fastify unsupported media type',
      error: new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE('text/csv'),
      code: 'UnsupportedMediaType',
      message: 'Unsupported Media Type text/csv',
    },
    {
      name: 'a JSON SyntaxError',
      error: (() => {
        try {
          JSON.parse('{');
        } catch (e) {
          return e;
        }
      })(),
      code: 'BadRequest',
      message: /^the body is not valid JSON: /,
    },
    {
      name: 'Nest BadRequestException',
      error: new BadRequestException('limit must be a number'),
      code: 'BadRequest',
      message: 'limit must be a number',
    },
    {
      name: 'ValidationPipe messages joined',
      error: new BadRequestException({
        message: ['a must be a string', 'b must be an integer'],
        error: 'Bad Request',
        statusCode: 400,
      }),
      code: 'BadRequest',
      message: 'a must be a string; b must be an integer',
    },
    {
      name: 'Nest NotFoundException (unknown route)',
      error: new NotFoundException('Cannot GET /nope'),
      code: 'NotFound',
      message: 'the server could not find the requested resource',
    },
    {
      name: 'Nest MethodNotAllowedException',
      error: new MethodNotAllowedException('no DELETE here'),
      code: 'MethodNotAllowed',
      message: 'no DELETE here',
    },
    {
      name: 'Nest PayloadTooLargeException',
      error: new PayloadTooLargeException(),
      code: 'RequestEntityTooLarge',
      message: 'the request body is too large',
    },
    {
      name: 'Nest UnsupportedMediaTypeException',
      error: new UnsupportedMediaTypeException('use application/json'),
      code: 'UnsupportedMediaType',
      message: 'use application/json',
    },
    {
      name: 'another 4xx HttpException',
      error: new HttpException('slow down', 429),
      code: 'BadRequest',
      message: 'slow down',
    },
    {
      name: 'an Error with a 400 statusCode',
      error: Object.assign(new Error('bad header'), { statusCode: 400 }),
      code: 'BadRequest',
      message: 'bad header',
    },
  ])('$name', ({ error, code, message }) => {
    const d = fromFrameworkError(error);
    expect(d).toBeInstanceOf(DomainError);
    expect(d!.code).toBe(code);
    if (typeof message === 'string') expect(d!.message).toBe(message);
    else expect(d!.message).toMatch(message);
  });

  it.each<{ name: string; error: unknown }>([
    { name: 'a plain Error (a bug, left to the 500 path)', error: new Error('boom') },
    { name: 'a TypeError', error: new TypeError('x is undefined') },
    { name: 'a 5xx HttpException', error: new InternalServerErrorException() },
    { name: 'a string', error: 'oops' },
    { name: 'undefined', error: undefined },
  ])('leaves $name alone', ({ error }) => {
    expect(fromFrameworkError(error)).toBeUndefined();
  });
});
