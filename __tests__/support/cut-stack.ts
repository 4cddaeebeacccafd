/**
 * The stack in the working directory without docker (terraform-json.ts), for the Terraform wrapper
 * (terraform-without-docker.sh) that the cdktf CLI runs in tests.
 */
import fs from 'node:fs';
import { cutDocker } from './terraform-json';

if (fs.existsSync('cdk.tf.json') && fs.readFileSync('cdk.tf.json', 'utf8').includes('"docker_')) cutDocker('.');
